package demo

import (
	"fmt"
	"strings"
)

// Scenario is which simulated site `biztel-doctor demo` runs against.
type Scenario string

const (
	// Problems is a site with the typical faults of BIZTEL's requirements
	// page, so a newcomer sees findings grouped by root cause, the
	// remediation checklist and the router configuration. The default.
	Problems Scenario = "problems"
	// Healthy is a site that meets every requirement: every check passes.
	Healthy Scenario = "healthy"
)

// Scenarios lists the scenarios, the default first.
func Scenarios() []Scenario { return []Scenario{Problems, Healthy} }

// ParseScenario turns a --scenario value into a Scenario.
func ParseScenario(s string) (Scenario, error) {
	for _, sc := range Scenarios() {
		if strings.EqualFold(strings.TrimSpace(s), string(sc)) {
			return sc, nil
		}
	}
	names := make([]string, 0, len(Scenarios()))
	for _, sc := range Scenarios() {
		names = append(names, string(sc))
	}
	return "", fmt.Errorf("unknown demo scenario %q: use one of %s", s, strings.Join(names, ", "))
}

// faults is what the problems scenario breaks; each is one of the page's
// typical faults, made by a loopback fake in its failure mode.
type faults struct {
	sipUDPSilent   bool // UDP 5060 gets no answer: SIP blocked outbound or its return traffic dropped
	sipALG         bool // the router's SIP-ALG rewrites SIP on the way to the server
	fragDrop       bool // the router drops IP fragments: large SIP (sip.size) is lost; needs sipALG's relay
	tlsInspection  bool // a FortiGate re-signs TLS to the server (SIP-TLS, WSS, web)
	ftpsPassiveGap bool // one of the recording server's passive ports is blocked
	ntpSilent      bool // NTP (UDP 123) gets no answer
	upnpGateway    bool // a UPnP gateway answers the SSDP search
}

func (s Scenario) faults() faults {
	if s != Problems {
		return faults{}
	}
	return faults{sipUDPSilent: true, sipALG: true, fragDrop: true, tlsInspection: true, ftpsPassiveGap: true,
		ntpSilent: true, upnpGateway: true}
}
