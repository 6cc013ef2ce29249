package miit

import "github.com/beian/beian/internal/sqldb"

// SealedColumns lists the simulator's sealed columns, for key rotation (sqldb.Reseal). A test compares it with
// the schema.
func SealedColumns() []sqldb.SealedColumn {
	id := []string{"id"}
	return []sqldb.SealedColumn{
		{Table: "miit_submissions", Key: id, Column: "order_data", Purpose: purposeOrder},
		{Table: "miit_sms_codes", Key: id, Column: "phone", Purpose: purposePhone},
		{Table: "miit_subjects", Key: id, Column: "data", Purpose: purposeSubject},
		{Table: "miit_services", Key: id, Column: "data", Purpose: purposeService},
	}
}
