// Make sure every department node exists. $departments: list of {code, name}.
UNWIND $departments AS department
MERGE (d:Department {code: department.code})
SET d.name = department.name
