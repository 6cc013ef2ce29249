// Package filing is the provider-side domain of ICP filing: orders and what they carry (subject, principals,
// services), the order types and states, and the one state machine through which every state change goes.
// It knows nothing of HTTP or SQL. Names follow docs/design.md §2.
package filing

import "time"

// OrderType is what an order asks the administration to do (docs/design.md §4.1).
type OrderType string

const (
	NewFiling           OrderType = "new_filing"             // 首次备案
	NewService          OrderType = "new_service"            // 新增网站/APP (subject filed through this provider)
	NewServiceNoSubject OrderType = "new_service_no_subject" // 无主体新增 (subject filed at another provider)
	NewAccess           OrderType = "new_access"             // 新增接入
	ChangeSubject       OrderType = "change_subject"         // 变更主体
	ChangeService       OrderType = "change_service"         // 变更网站/APP
	ChangeAccess        OrderType = "change_access"          // 变更接入
	CancelSubject       OrderType = "cancel_subject"         // 注销主体
	CancelService       OrderType = "cancel_service"         // 注销网站/APP
	WithdrawAccess      OrderType = "withdraw_access"        // 取消接入
	Claim               OrderType = "claim"                  // 认领备案
)

// OrderTypes lists every order type in the order of docs/design.md §4.1.
var OrderTypes = []OrderType{NewFiling, NewService, NewServiceNoSubject, NewAccess, ChangeSubject, ChangeService,
	ChangeAccess, CancelSubject, CancelService, WithdrawAccess, Claim}

// Valid reports whether t is a known order type.
func (t OrderType) Valid() bool {
	for _, x := range OrderTypes {
		if x == t {
			return true
		}
	}
	return false
}

// ServiceKind is the kind of internet information service (docs/design.md §2).
type ServiceKind string

const (
	Website     ServiceKind = "website"
	App         ServiceKind = "app"
	MiniProgram ServiceKind = "mini_program"
	QuickApp    ServiceKind = "quick_app"
)

// Order is one filing request of an applicant, from draft to result. Its JSON form is the API's.
type Order struct {
	ID          int64     `json:"id"`
	ApplicantID int64     `json:"applicant_id"`
	Type        OrderType `json:"type"`
	State       State     `json:"state"`
	Province    string    `json:"province"` // GB/T 2260 2-digit code of the filing province, e.g. "44"

	// Resource binds the order to hosting: an instance with filing quota or an authorization code.
	Resource ResourceRef `json:"resource"`

	Subject  Subject   `json:"subject"`
	Services []Service `json:"services"`

	// AgreementsAccepted records that the applicant accepted the three agreements (Baidu AI Cloud's app filing guide and Huawei Cloud's first-filing guide).
	AgreementsAccepted bool `json:"agreements_accepted"`

	// Materials are the uploaded documents attached to the order, by material code (docs/rules.md).
	Materials []MaterialRef `json:"materials,omitempty"`

	// Target names the filed subject or service that a change, cancellation or access order is about.
	Target *Target `json:"target,omitempty"`
	// Filed is the record the order started from (orders about a filed subject or service).
	Filed *Filed `json:"filed,omitempty"`
	// Confirmed is what the applicant confirmed before submitting an irreversible order, in their words.
	Confirmed string `json:"confirmed,omitempty"`

	// Result holds what the administration returned once it decided.
	Result *Result `json:"result,omitempty"`

	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ResourceRef is the hosting resource an order is bound to: exactly one of the two fields is set.
type ResourceRef struct {
	InstanceID        int64  `json:"instance_id,omitempty"`
	AuthorizationCode string `json:"authorization_code,omitempty"`
}

// Subject is the organiser of the services (主体, 主办单位).
type Subject struct {
	Nature           string `json:"nature"`            // docs/design.md §3 nature name, e.g. "enterprise", "individual"
	Name             string `json:"name"`              // unit name, or the person's name for individuals
	CredentialType   string `json:"credential_type"`   // e.g. "business_license", "resident_id"
	CredentialNumber string `json:"credential_number"` // USCC, organisation code, ID number, …
	// CredentialAddress is the address on the credential, precise to the house number (Baidu AI Cloud's app filing guide).
	CredentialAddress string `json:"credential_address"`
	// CommunicationAddress is the office or home address, in the filing province (Huawei Cloud's first-filing guide table 2).
	CommunicationAddress string `json:"communication_address"`
	// Investor is the investor or supervising unit (投资人或主管单位).
	Investor string `json:"investor,omitempty"`
	// LegalRepresentative is required for organisations; the ID number must be a resident ID card (Baidu AI Cloud's app filing guide).
	LegalRepresentative *LegalRepresentative `json:"legal_representative,omitempty"`
	Principal           Principal            `json:"principal"`
	Remark              string               `json:"remark,omitempty"`
	// Number is the subject's ICP number once filed, e.g. "粤ICP备2026000001号".
	Number string `json:"number,omitempty"`
}

// LegalRepresentative is the legal representative of an organisation (法定代表人).
type LegalRepresentative struct {
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
}

// Principal is a responsible person: the subject principal or a service principal.
type Principal struct {
	Name             string `json:"name"`
	CredentialType   string `json:"credential_type"`
	CredentialNumber string `json:"credential_number"`
	// CredentialLongTerm is true for a credential without expiry; else CredentialValidFrom/To apply.
	CredentialLongTerm  bool   `json:"credential_long_term"`
	CredentialValidFrom string `json:"credential_valid_from,omitempty"` // YYYY-MM-DD
	CredentialValidTo   string `json:"credential_valid_to,omitempty"`   // YYYY-MM-DD
	OfficePhone         string `json:"office_phone"`                    // landline with area code
	Mobile              string `json:"mobile"`
	EmergencyMobile     string `json:"emergency_mobile"` // a mobile, never a landline; unique to the subject
	Email               string `json:"email"`
}

// Service is one internet information service: a website, an APP, a mini program or a quick app.
type Service struct {
	Kind ServiceKind `json:"kind"`
	Name string      `json:"name"`
	// Domains: a website files exactly one registrable domain (one domain per number since 2019, docs/design.md §4.11);
	// an APP lists every domain it uses, second to fourth level, at most 20 (Huawei Cloud's first-filing guide).
	Domains []string `json:"domains"`
	// HomeURL is the optional home page address (首页地址): http(s) or no scheme, on one of Domains or below one
	// (ident.HomeURL).
	HomeURL string `json:"home_url,omitempty"`
	// IPs are addresses or ranges "a-b" from the bound resource: on an order bound to one, each lies within its
	// addresses (order.ip_not_on_resource).
	IPs          []string      `json:"ips"`
	Content      []string      `json:"content"`   // service content codes (docs/design.md §3)
	Languages    []string      `json:"languages"` // language codes (docs/design.md §3)
	PreApprovals []PreApproval `json:"pre_approvals,omitempty"`
	Remark       string        `json:"remark,omitempty"`
	// PrincipalSameAsSubject copies the subject principal ("复制主体负责人", Baidu AI Cloud's app filing guide).
	PrincipalSameAsSubject bool      `json:"principal_same_as_subject"`
	Principal              Principal `json:"principal"`
	App                    *AppInfo  `json:"app,omitempty"` // APP, mini program and quick app data
	// Number is the service's ICP number once filed, e.g. "粤ICP备2026000001号-1" or "…号-2A".
	Number string `json:"number,omitempty"`
	// AccessMethod and AccessLocation describe this provider's access (接入方式, 服务器放置地): what a
	// change_access order may change besides the IPs.
	AccessMethod   string `json:"access_method,omitempty"`
	AccessLocation string `json:"access_location,omitempty"`
}

// PreApproval is a 前置审批 item with its permit.
type PreApproval struct {
	Type         string `json:"type"` // pre-approval type code (docs/design.md §3)
	PermitNumber string `json:"permit_number"`
	MaterialID   int64  `json:"material_id,omitempty"`
}

// AppInfo is what an APP filing adds (Huawei Cloud's first-filing guide, docs/design.md §4.13).
type AppInfo struct {
	IconMaterialID int64      `json:"icon_material_id,omitempty"`
	SDKs           []SDK      `json:"sdks,omitempty"`
	Platforms      []Platform `json:"platforms"`
}

// SDK is a third-party SDK an APP uses.
type SDK struct {
	Vendor string `json:"vendor"`
	Type   string `json:"type"`
}

// Platform is one platform an APP runs on, with its package and signing data.
type Platform struct {
	Platform  string `json:"platform"` // "android", "ios", "harmonyos", …
	Package   string `json:"package"`  // package name or bundle ID
	PublicKey string `json:"public_key"`
	Signature string `json:"signature"` // MD5 (Android) or SHA-1 (iOS) of the signing certificate
}

// MaterialRef is an uploaded material attached to an order.
type MaterialRef struct {
	Code       string `json:"code"`              // docs/rules.md material code
	ID         int64  `json:"id"`                // the stored document
	ServiceIdx *int   `json:"service,omitempty"` // the service it belongs to, if any
}

// Target is the filed record a change, cancellation, access or claim order refers to.
type Target struct {
	SubjectNumber string `json:"subject_number,omitempty"`
	ServiceNumber string `json:"service_number,omitempty"`
}

// Result is the administration's decision as the provider received it.
type Result struct {
	Code          int       `json:"code"` // 1001 approved, 1002 rejected, 1003+ conflicts (docs/design.md §5)
	Reason        string    `json:"reason,omitempty"`
	SubjectNumber string    `json:"subject_number,omitempty"`
	Services      []Issued  `json:"services,omitempty"`
	DecidedAt     time.Time `json:"decided_at"`
}

// Issued pairs a service with the number issued for it.
type Issued struct {
	Index  int    `json:"index"` // index in Order.Services
	Domain string `json:"domain,omitempty"`
	Name   string `json:"name"`
	Number string `json:"number"`
}

// IsIndividual reports whether the subject is a person (个人).
func (s Subject) IsIndividual() bool { return s.Nature == "individual" }

// EffectivePrincipal returns the service principal, resolving "same as subject principal".
func (o *Order) EffectivePrincipal(i int) Principal {
	if o.Services[i].PrincipalSameAsSubject {
		return o.Subject.Principal
	}
	return o.Services[i].Principal
}
