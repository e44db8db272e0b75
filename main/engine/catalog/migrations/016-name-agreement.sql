-- Version 16. A person's name agreement: the chance, from the last recognition run, that the person's
-- confirmed faces are of one person ([Note: a name's own faces agree] in head/recognise/open-set.ts).
-- The person's page warns when the faces look like different people. NULL: not measured yet.
ALTER TABLE people ADD COLUMN name_agreement REAL;
