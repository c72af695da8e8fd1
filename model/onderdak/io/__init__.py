"""Files and services: the sourced reference figures, open-data downloads and where packaged files live."""
