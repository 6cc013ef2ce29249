package codes

import (
	"errors"
	"slices"
)

// Language is a content language of a service (网站语言).
type Language struct {
	Code  string `json:"code"` // BCP 47
	Names Names  `json:"names"`
}

func (l Language) key() string { return l.Code }

func (l Language) check() error {
	if l.Code == "" {
		return errors.New("code is required")
	}
	return namesErr(l.Names)
}

// Platform is an APP platform (运行平台).
type Platform struct {
	Code  string `json:"code"`
	Names Names  `json:"names"`
}

func (p Platform) key() string { return p.Code }

func (p Platform) check() error {
	if p.Code == "" {
		return errors.New("code is required")
	}
	return namesErr(p.Names)
}

// LanguageOf returns the language with that code.
func LanguageOf(code string) (Language, bool) { return find(tab().languages, code) }

// Languages returns the languages a service may declare.
func Languages() []Language { return slices.Clone(tab().languages) }

// AppPlatform returns the APP platform with that code.
func AppPlatform(code string) (Platform, bool) { return find(tab().platforms, code) }

// AppPlatforms returns the APP platforms.
func AppPlatforms() []Platform { return slices.Clone(tab().platforms) }
