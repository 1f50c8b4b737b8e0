"""The parts of `evote simulate`: convention, guardians, ballot encryption."""
