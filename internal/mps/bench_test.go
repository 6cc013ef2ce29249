package mps

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/beian/beian/internal/imaging/imagetest"
	"github.com/beian/beian/internal/storetest"
)

// BenchmarkPoliceLifecycle measures one police lifecycle through the use cases on SQLite, without HTTP: the
// subject's four images, the subject, the website's four images, the application approved and numbered by the
// automatic policy, the badge. It reports the process CPU time per lifecycle (cpu-ms/op), which the other jobs
// of a shared machine disturb less than the wall time.
//
//   - distinct: every upload is a file never seen before (same pixels, different bytes), so every image is
//     decoded and checked;
//   - resent: the applicant sends the same scans again (the principal is the legal representative, the
//     licence photo is reused), as the load tool does: an image already checked is not decoded again.
func BenchmarkPoliceLifecycle(b *testing.B) {
	for _, mode := range []string{"distinct", "resent"} {
		b.Run(mode, func(b *testing.B) {
			f := newFixture(b, storetest.SQLite(b), Policy{Mode: PolicyAutomatic})
			u := f.applicant(b, "bench", "13900139009", 29)
			img, seq := clearJPEG(b), 0
			upload := func(purposes []string) map[string]int64 {
				m := map[string]int64{}
				for _, p := range purposes {
					data := img
					if mode == "distinct" {
						seq++
						data = imagetest.Tagged(img, fmt.Sprint(seq))
					}
					id, err := f.sim.UploadMaterial(ctx, u.ID, p, data)
					if err != nil {
						b.Fatal(codesOf(err))
					}
					m[p] = id
				}
				return m
			}
			cpu := cpuTime()
			b.ResetTimer()
			for i := range b.N {
				benchLifecycle(b, f, u.ID, i, upload)
			}
			b.StopTimer()
			b.ReportMetric(float64(cpuTime()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
	}
}

func benchLifecycle(b *testing.B, f *fixture, userID int64, i int, upload func([]string) map[string]int64) {
	in := enterpriseData()
	in.Name = fmt.Sprintf("北京示例第%d号科技有限公司", i)
	in.CredentialNumber = uscc("91", "110105", fmt.Sprintf("%08d", 10_000_000+i))
	in.Materials = upload(SubjectMaterials(NatureEnterprise))
	subj, err := f.sim.SubmitSubject(ctx, userID, in)
	if err != nil || subj.State != StateApproved {
		b.Fatal(codesOf(err))
	}
	domain := fmt.Sprintf("bench%d.cn", i)
	f.icp[domain] = ICPRecord{Filed: true, SubjectName: in.Name, SubjectNumber: fmt.Sprintf("京ICP备26%06d号", i),
		ServiceNumber: fmt.Sprintf("京ICP备26%06d号-1", i), ServiceName: "示例官网"}
	site, err := f.sim.SubmitWebsite(ctx, userID, WebsiteInput{SubjectID: subj.ID, Name: "示例官网",
		Domains: []string{domain}, ICPNumber: f.icp[domain].ServiceNumber, OpenedOn: "2026-03-01",
		AccessProvider: "示例云计算有限公司", Registrar: "北京新网数码信息技术有限公司", IPs: []string{"1.2.3.4"}, ServiceTypes: []string{"02"},
		PrincipalSameAsSubject: true, NoticeRead: true, Materials: upload(WebsiteMaterials(NatureEnterprise))})
	if err != nil || site.State != StateApproved || site.PoliceNumber == "" {
		b.Fatal(codesOf(err))
	}
	if _, err := f.sim.Website(ctx, userID, site.ID); err != nil {
		b.Fatal(err)
	}
}

// cpuTime is the user and system CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
