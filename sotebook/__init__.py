"""Helsinki Social Services, Health Care and Rescue Services Division: the annual book's package."""
