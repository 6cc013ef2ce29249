package miit

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/beian/beian/internal/i18n"
)

// Every miit.* code the package returns, every result code it queues and every submission state has a message.
func TestMessagesInCatalog(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	re := regexp.MustCompile(`"(miit\.[a-z_]+)"`)
	seen := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			seen[m[1]] = true
		}
	}
	for _, c := range Codes() {
		seen[fmt.Sprintf("miit.code.%d", c)] = true
	}
	for _, s := range []string{subSMSPending, subReview, subApproved, subRejected, subReturned, subWithdrawn} {
		seen["miit.state."+s] = true
	}
	for _, r := range []string{roleSubjectPrincipal, roleServicePrincipal} {
		seen["miit.role."+r] = true
	}
	for _, notMessage := range []string{purposeOrder, purposePhone, purposeSubject, purposeService, hashCredential,
		hashPhone, hashLast6, hashCode} {
		delete(seen, notMessage)
	}
	for key := range seen {
		if !i18n.Has(key) {
			t.Errorf("no message for %s", key)
		}
	}
}
