"""The web UI and HTTP API: thin layers over the library and the store (``storyline serve``)."""
