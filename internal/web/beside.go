package web

// Errors beside the inputs of handwritten forms: the templates that build no Form (a form on each row of a list,
// the reviewer's decision, the officer's) show a page error beside its input as the "field" template does, in a
// <p class="error" id="<input id>-err"> the input names in aria-describedby (the "beside" template), and the
// error summary links to the input.

// Beside is the error text shown beside one input.
type Beside struct {
	ID       string // the input's id; the text's is ID-err
	Messages []string
}

// Beside is the text of the page's errors that AimErrors linked to the input id; nil when there is none.
func (v *View) Beside(id string) *Beside {
	var msgs []string
	for _, e := range v.Errors {
		if e.Target == "#"+id {
			msgs = append(msgs, e.Message)
		}
	}
	if msgs == nil {
		return nil
	}
	return &Beside{ID: id, Messages: msgs}
}

// Input is an input of a handwritten form: its id, and its label (naming it in the errors on it when the
// catalog has no label for its form name).
type Input struct{ ID, Label string }

// AimErrors links the summary's errors on the fields of inputs (form field name → input) to their inputs, and
// the others to the element form (when not ""), and returns those others, which the form shows as a whole.
func (v *View) AimErrors(form string, inputs map[string]Input) []FieldError {
	var rest []FieldError
	for i := range v.Errors {
		e := &v.Errors[i]
		if in, ok := inputs[e.Field]; ok {
			e.Target = "#" + in.ID
			e.labelled(in.Label)
			continue
		}
		if form != "" {
			e.Target = "#" + form
		}
		rest = append(rest, *e)
	}
	return rest
}
