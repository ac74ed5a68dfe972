"""@mentions that mail: who may receive one, and how often (issue 24, item 10)."""
