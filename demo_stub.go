package main

import (
	"context"
	"errors"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/profile"
)

type demoSite struct {
	Profile *profile.Profile
	Options checks.Options
	Env     *checks.Env
}

func (d *demoSite) Close() {}

func startDemo(ctx context.Context) (*demoSite, error) { return nil, errors.New("not yet") }
