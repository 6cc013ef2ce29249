package codes

import (
	"errors"
	"slices"
)

// SubjectNature is an MIIT subject nature (主办单位性质), docs/design.md §3.
type SubjectNature struct {
	Code  int    `json:"code"` // MIIT code 1-16
	Name  string `json:"name"` // docs/design.md §3 English name, the value of filing.Subject.Nature
	Unit  bool   `json:"unit"` // false only for individuals
	Names Names  `json:"names"`
}

func (n SubjectNature) key() string { return n.Name }

func (n SubjectNature) check() error {
	if n.Name == "" || n.Code <= 0 {
		return errors.New("name and a positive code are required")
	}
	return namesErr(n.Names)
}

// PoliceSubjectNature is a nature of the police filing platform (开办主体性质, the police platform's filing procedure).
type PoliceSubjectNature struct {
	Name  string `json:"name"`
	Unit  bool   `json:"unit"`
	Names Names  `json:"names"`
}

func (n PoliceSubjectNature) key() string { return n.Name }

func (n PoliceSubjectNature) check() error {
	if n.Name == "" {
		return errors.New("name is required")
	}
	return namesErr(n.Names)
}

// Nature returns the MIIT subject nature with that English name.
func Nature(name string) (SubjectNature, bool) { return find(tab().natures, name) }

// NatureByCode returns the MIIT subject nature with that MIIT code.
func NatureByCode(code int) (SubjectNature, bool) {
	for _, n := range tab().natures {
		if n.Code == code {
			return n, true
		}
	}
	return SubjectNature{}, false
}

// Natures returns the MIIT subject natures in code order.
func Natures() []SubjectNature { return slices.Clone(tab().natures) }

// PoliceNature returns the police platform nature with that English name.
func PoliceNature(name string) (PoliceSubjectNature, bool) { return find(tab().police, name) }

// PoliceNatures returns the six natures of the police platform (the police platform's filing procedure).
func PoliceNatures() []PoliceSubjectNature { return slices.Clone(tab().police) }
