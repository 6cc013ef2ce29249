package filing

import "slices"

// What happens after an ICP number is issued: orders that start from a filed record (docs/after-filing.md).

// Filed is the record an order started from, as the registry held it when the order was opened: the subject
// and the services the order concerns, each with its number. Changes are shown and checked against it.
type Filed struct {
	Subject  Subject   `json:"subject"`
	Services []Service `json:"services,omitempty"`
}

// Service returns the filed service with number n.
func (f *Filed) Service(n string) (Service, bool) {
	if f == nil {
		return Service{}, false
	}
	for _, s := range f.Services {
		if s.Number == n {
			return s, true
		}
	}
	return Service{}, false
}

// Scope is what an order is about.
type Scope string

const (
	ScopeNew     Scope = "new"     // a subject not filed yet (new_filing)
	ScopeSubject Scope = "subject" // a filed subject as a whole
	ScopeService Scope = "service" // filed services of a subject
)

// Scope returns what orders of type t are about.
func (t OrderType) Scope() Scope {
	switch t {
	case NewFiling:
		return ScopeNew
	case NewAccess, ChangeService, ChangeAccess, CancelService, WithdrawAccess:
		return ScopeService
	}
	return ScopeSubject
}

// Irreversible reports whether an approved order of type t cannot be undone: a cancelled number is never
// issued again and a withdrawn access cannot be restored (UCloud 《注销主体》《注销网站》《取消接入》,
// https://docs.ucloud.cn/beian1/guidance/guidance4). The applicant confirms such orders explicitly.
func (t OrderType) Irreversible() bool {
	return t == CancelSubject || t == CancelService || t == WithdrawAccess
}

// FilesWebsites reports whether an approved order of type t leaves the websites it carries filed and accessed at
// this provider, each of them then to be filed with the police (公安联网备案) within 30 days of going online. A
// cancellation ends the filing and a withdrawal ends the access: neither leaves a website to file.
func (t OrderType) FilesWebsites() bool {
	switch t {
	case NewFiling, NewService, NewServiceNoSubject, NewAccess, ChangeSubject, ChangeService, ChangeAccess, Claim:
		return true
	}
	return false
}

// Edits reports which parts of the order the applicant may edit for type t: the subject (with its
// principal), the services' content, or only the services' access data (IPs, access method, location).
type Edits struct {
	Subject  bool `json:"subject"`
	Services bool `json:"services"`
	Access   bool `json:"access"`
	// AddServices: the applicant may add services (new services for a filed subject).
	AddServices bool `json:"add_services"`
}

// Edits returns what the applicant may edit in an order of type t. A new filing edits everything; orders
// about a filed record edit only what their type changes, the rest is carried from the record as filed.
func (t OrderType) Edits() Edits {
	switch t {
	case NewFiling:
		return Edits{Subject: true, Services: true, Access: true, AddServices: true}
	case NewService, NewServiceNoSubject:
		return Edits{Services: true, Access: true, AddServices: true}
	case NewAccess, ChangeAccess:
		return Edits{Access: true}
	case ChangeSubject:
		return Edits{Subject: true}
	case ChangeService:
		return Edits{Services: true, Access: true}
	}
	return Edits{}
}

// CarriesContent reports whether orders of type t carry data to check field by field; cancellations,
// withdrawals and claims carry only what they are about.
func (t OrderType) CarriesContent() bool {
	return !slices.Contains([]OrderType{CancelSubject, CancelService, WithdrawAccess, Claim}, t)
}

// HoldsSubject reports whether the order keeps other orders of its subject out (one order at a time per subject,
// Aliyun 《变更备案须知》: 不同的备案订单不能同时进行). A claim holds the subject only once it asks a reviewer: a
// claim being proven by SMS must not let a stranger block the owner's orders.
func (o *Order) HoldsSubject() bool {
	return o.State.InFlight() && !(o.Type == Claim && o.State == Draft)
}
