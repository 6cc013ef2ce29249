package provider

import (
	"context"
	"slices"
	"strings"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/rules"

	"github.com/beian/beian/internal/divisions"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
)

// Channels: the provider decides which provinces it takes filings for on each channel, the PC portal and the
// phone (Baidu Cloud 《通过百度云APP进行备案》, 2019: the app took only 贵州、宁夏、山东、上海、浙江、青海). The
// portal applies it when the filing type is checked. A channel nobody configured takes every province.

// Channels.
const (
	ChannelPC    = "pc"
	ChannelPhone = "phone"
)

var channels = []string{ChannelPC, ChannelPhone}

// ChannelProvinces returns the provinces each channel takes.
func (s *Service) ChannelProvinces(ctx context.Context) (map[string][]string, error) {
	set, err := s.st.ChannelProvinces(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, ch := range channels {
		if ps, ok := set[ch]; ok {
			out[ch] = ps
		} else {
			out[ch] = allProvinces()
		}
	}
	return out, nil
}

func allProvinces() []string {
	var out []string
	for _, p := range divisions.Provinces() {
		out = append(out, p.Code)
	}
	return out
}

// SetChannelProvinces replaces the provinces a channel takes (reviewers and operators).
func (s *Service) SetChannelProvinces(ctx context.Context, by Actor, channel string, provinces []string) error {
	if !by.IsStaff() {
		return forbidden()
	}
	if !slices.Contains(channels, channel) {
		return problem.Invalidf("channel.unknown", "channel", "channel", channel)
	}
	var list []string
	for i, p := range provinces {
		if !knownProvince(p) {
			return problem.Invalidf("check.unknown_province", "provinces["+itoaID(int64(i))+"]", "province", p)
		}
		if !slices.Contains(list, p) {
			list = append(list, p)
		}
	}
	if len(list) == 0 {
		return problem.Invalidf("channel.no_province", "provinces")
	}
	slices.Sort(list)
	return s.st.Update(ctx, func(tx *store.Tx) error {
		return tx.SetChannelProvinces(ctx, channel, list, by.ID, s.now())
	})
}

// checkChannel refuses a province the channel does not take ("" is the API: no channel restriction).
func (s *Service) checkChannel(ctx context.Context, channel, province string) error {
	if channel == "" {
		return nil
	}
	if !slices.Contains(channels, channel) {
		return problem.Invalidf("channel.unknown", "channel", "channel", channel)
	}
	all, err := s.ChannelProvinces(ctx)
	if err != nil {
		return err
	}
	if !slices.Contains(all[channel], province) {
		e := problem.New(problem.Conflict, "check.channel_province", "province", "province", province, "channel", channel)
		e.Text = map[string]string{}
		for _, l := range i18n.Langs {
			names := []string{}
			for _, p := range all[channel] {
				names = append(names, provinceName(l, p))
			}
			e.Text[string(l)] = i18n.T(l, "check.channel_province", map[string]string{"province": provinceName(l, province),
				"channel": i18n.T(l, "channel."+channel, nil), "provinces": strings.Join(names, i18n.T(l, "filed.list_sep", nil))})
		}
		return e
	}
	return nil
}

// provinceName is a province's name in lang (its code when unknown).
func provinceName(l i18n.Lang, code string) string {
	if f, ok := rules.Province(code); ok {
		return f.Names.In(l)
	}
	return code
}
