"""The front desk window and its parts."""
