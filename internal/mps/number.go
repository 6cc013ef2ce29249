package mps

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/beian/beian/internal/divisions"
)

// Police numbers (公安机关备案号): <province character>公网安备<14 digits>号. The first six digits are the area
// code of the unit that accepted the filing (province, city or county level); in the numbers seen on websites
// digits 7-8 are nearly always 02, which the simulator copies; the last six count the unit's filings. A number is
// issued once: mps_websites.police_number is unique and cancelled websites keep theirs. The province character
// is the one of ICP numbers, except 甘 for Gansu and 川 for Sichuan, as police numbers are printed
// (docs/police.md).

// policeAbbr overrides the ICP abbreviation where police numbers use another character.
var policeAbbr = map[string]string{"62": "甘", "51": "川"}

// PoliceAbbr returns the character police numbers of a province (2-digit code) start with.
func PoliceAbbr(province string) string {
	if a, ok := policeAbbr[province]; ok {
		return a
	}
	if p, ok := divisions.ProvinceByCode(province); ok {
		return string(p.Abbr)
	}
	return ""
}

// issueNumber gives a website the next number of unit.
func (s *Simulator) issueNumber(ctx context.Context, tx *sql.Tx, websiteID int64, unit string) (string, error) {
	var serial int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO mps_serials (unit_code, next) VALUES ($1, 1)
		ON CONFLICT (unit_code) DO UPDATE SET next = mps_serials.next + 1 RETURNING next`, unit).Scan(&serial); err != nil {
		return "", err
	}
	if serial > 999_999 {
		return "", fmt.Errorf("mps: unit %s has used all its police numbers", unit)
	}
	number := fmt.Sprintf("%s公网安备%s02%06d号", PoliceAbbr(unit[:2]), unit, serial)
	_, err := tx.ExecContext(ctx, `UPDATE mps_websites SET police_number = $2, unit_code = $3 WHERE id = $1`,
		websiteID, number, unit)
	return number, err
}
