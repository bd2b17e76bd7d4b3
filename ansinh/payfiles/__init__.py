"""Payment files with no Django import: ISO 20022 pain.001 out, pain.002/camt.054/CSV/Excel results in,
bank bulk-transfer templates described as data, and the official Excel payment and cash lists.

The payments app calls these functions with plain values; nothing here touches the database.
"""
