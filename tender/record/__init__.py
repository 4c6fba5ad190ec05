"""The record of decisions: the hash-chained ledger, its replay into a book, and the rules of writing it."""
