"""The command line: reads files, calls the model, writes files; the batch runner."""
