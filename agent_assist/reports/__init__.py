"""Review reports as files for the bank: CSV for analysts, PDF for reading."""
