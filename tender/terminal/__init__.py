"""What a person sees and types in the terminal: the console, tables, and the scoring walks."""
