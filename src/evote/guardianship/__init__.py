"""The server's side of the guardians: the key ceremony mailbox and the presidium's overview."""
