"""Which language a resident writes, the replies in it, and how plain the Danish is."""
