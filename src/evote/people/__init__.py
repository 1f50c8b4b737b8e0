"""The people side of the convention: accounts, credentials, import, letters, attendance."""
