"""The employee's desktop app: task list, progress updates that survive being offline, occupancy."""
