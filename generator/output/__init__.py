"""The last stage: write the outputs (`generate`) or compare them (`check`).

tree.py     what is under the output directory, read without trusting it
compare.py  check: every difference, with a unified diff
write.py    generate: the whole directory replaced in one step
"""
