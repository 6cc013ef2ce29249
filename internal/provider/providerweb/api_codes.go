package providerweb

import (
	"net/http"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/divisions"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/web"
)

// codeLists are the lists the wizard's choices come from (docs/design.md §3), as their data files define them.
var codeLists = map[string]func() any{
	"natures":             func() any { return codes.Natures() },
	"police_natures":      func() any { return codes.PoliceNatures() },
	"credential_types":    func() any { return codes.CredentialTypes() },
	"service_content":     func() any { return codes.ServiceContentGroups() },
	"app_service_content": func() any { return codes.AppServiceContentGroups() },
	"pre_approvals":       func() any { return codes.PreApprovals() },
	"languages":           func() any { return codes.Languages() },
	"app_platforms":       func() any { return codes.AppPlatforms() },
	"provinces":           provinceList,
}

type provinceItem struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Abbr string `json:"abbr"`
}

func provinceList() any {
	var out []provinceItem
	for _, p := range divisions.Provinces() {
		out = append(out, provinceItem{Code: p.Code, Name: p.Name, Abbr: string(p.Abbr)})
	}
	return out
}

func (s *Server) codeList(w http.ResponseWriter, r *http.Request) {
	f, ok := codeLists[r.PathValue("list")]
	if !ok {
		web.WriteError(w, r, problem.New(problem.NotFound, "common.not_found", "list"))
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"items": f()})
}
