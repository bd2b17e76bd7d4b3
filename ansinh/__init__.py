"""ansinh: cashless social-assistance payment, from the beneficiary list to the reconciled payment."""
