"""Everything that crosses the network: the wire format, the client and the sync worker."""
