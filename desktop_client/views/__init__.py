"""Qt widgets: the only layer that draws. They talk to the TaskManager and nothing else."""
