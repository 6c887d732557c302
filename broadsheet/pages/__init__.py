"""Page kinds: how each kind of output file is planned, rendered and fingerprinted."""
