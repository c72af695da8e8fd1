"""The location register: what users may type, its cells and rows validated into locations, its checks."""
