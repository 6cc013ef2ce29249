package mps

import (
	"reflect"
	"slices"
	"strings"
)

// The fields of the subject's and the application's forms are defined once, by SubjectInput and WebsiteInput:
// their JSON names are the names of the forms' inputs, of the problems and of the reviewers' notes. A field that
// holds no data of the record (the subject an application is made under, a tick) is tagged note:"-".

// FormMaterials returns the materials the form of a record of kind (subject, website) may ask for, whatever the
// subject's nature.
func FormMaterials(kind string) []string {
	switch kind {
	case KindSubject:
		return slices.Concat(SubjectMaterials(NatureIndividual), SubjectMaterials(NatureEnterprise))
	case KindWebsite:
		return WebsiteMaterials(NatureEnterprise)
	}
	return nil
}

var (
	formFields = map[string][]string{KindSubject: inputFields(reflect.TypeFor[SubjectInput](), KindSubject, false),
		KindWebsite: inputFields(reflect.TypeFor[WebsiteInput](), KindWebsite, false)}
	noteFields = map[string][]string{KindSubject: inputFields(reflect.TypeFor[SubjectInput](), KindSubject, true),
		KindWebsite: inputFields(reflect.TypeFor[WebsiteInput](), KindWebsite, true)}
)

// FormFields returns the fields of the form of a record of kind (subject, website) in the form's order: the
// principal's as principal.<name>, the materials as materials.<purpose>.
func FormFields(kind string) []string { return slices.Clone(formFields[kind]) }

// NoteFields returns the fields of a record of kind (subject, website) a reviewer's note may name: the fields of
// its form but those holding no data of the record.
func NoteFields(kind string) []string { return slices.Clone(noteFields[kind]) }

// inputFields lists the fields of the form t (SubjectInput or WebsiteInput) of a record of kind; noted leaves out
// those a note may not name.
func inputFields(t reflect.Type, kind string, noted bool) []string {
	var out []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case noted && f.Tag.Get("note") == "-":
		case f.Type == reflect.TypeFor[Person]():
			for p := range f.Type.Fields() {
				tag, _, _ := strings.Cut(p.Tag.Get("json"), ",")
				out = append(out, name+"."+tag)
			}
		case name == "materials":
			for _, m := range FormMaterials(kind) {
				out = append(out, "materials."+m)
			}
		default:
			out = append(out, name)
		}
	}
	return out
}
