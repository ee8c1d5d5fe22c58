"""Pictures for print and download (matplotlib): zone maps with inset and key, comparison charts, their captions.

`python -m geo.printmap [--theme T] [--province P] [--batch B] --out FILE` draws a map from the command line.
"""
