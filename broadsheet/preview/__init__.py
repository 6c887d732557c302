"""The live-reload preview server and its file watcher."""
