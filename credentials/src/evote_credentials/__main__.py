from evote_credentials.cli import main

main()
