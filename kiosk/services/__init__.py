"""Services between the screens and the store or the network: what the GUI asks to be done."""
