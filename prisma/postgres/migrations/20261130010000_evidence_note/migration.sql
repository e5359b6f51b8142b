-- The caseworker's note on an employment-evidence verdict (it was sent by the UI and the API, then dropped).
ALTER TABLE "EmploymentEvidence" ADD COLUMN "verdictNote" TEXT;
