"""One run of a case: the input gate and every scenario carried through every stage."""
