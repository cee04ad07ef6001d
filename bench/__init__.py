"""`make bench`: query counts, load and timings at county (scale 1) and city (scale 20) size."""
