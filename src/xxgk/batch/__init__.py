"""`xxgk convert` as a library: finding inputs, converting each in worker processes, naming
and placing outputs atomically, and the summary of the run. Prints nothing."""
