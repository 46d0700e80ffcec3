"""`invoke bench`: a synthetic archive, plain Pelican beside `invoke build`, a report."""
