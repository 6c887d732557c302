"""What lets a rebuild do only the work its inputs require: the build cache, page keys and the snapshot."""
