// Package compliance checks whether a website's homepage shows its filing numbers the way the rules require:
// the ICP filing number at the bottom of the homepage with a link to MIIT's filing system
// (《非经营性互联网信息服务备案管理办法》 第十三条), the police filing number, when the site has one, with the
// platform's badge and a link to its public query (《计算机信息网络国际联网安全保护管理办法》, 公安部令第33号), and a
// page title consistent with the filed website name.
//
// A Checker fetches the homepage over HTTPS, then HTTP (timeouts, a size cap, redirects followed and reported,
// no private or loopback addresses unless allowed), decodes it (UTF-8, GBK, GB18030 and what the page declares),
// parses it with an HTML parser and compares what it finds with the registry (Registry). Every finding has a
// stable code (the key of its message in internal/i18n/catalog/compliance.*.json), a severity and, where the
// page must change, the exact HTML to paste.
//
// Limits: the served HTML is checked, scripts are not run. A footer a script builds in the browser is reported
// as not found in the served HTML (inspectors' crawlers read the same HTML), with a note when a script of the
// page appears to contain the number. Visual placement is judged from the document order and footer markup,
// not from rendering.
package compliance
