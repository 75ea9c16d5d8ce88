package validation

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// The image reference grammar Knative enforces (go-containerregistry's
// ParseReference with weak validation): [registry/]repository[:tag][@digest],
// with Docker Hub as the implied registry.
var (
	repositoryPattern = regexp.MustCompile(`^[a-z0-9_./-]{2,255}$`)
	tagPattern        = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,128}$`)
	digestPattern     = regexp.MustCompile(`^sha256:[a-f0-9]{64}$`)
)

// validateImageReference returns why ref is not a usable image reference, or nil.
func validateImageReference(ref string) error {
	name, digest, hasDigest := strings.Cut(ref, "@")
	if hasDigest {
		if strings.Contains(digest, "@") {
			return fmt.Errorf("a digest reference must contain exactly one '@'")
		}
		if !digestPattern.MatchString(digest) {
			return fmt.Errorf("digest %q must be \"sha256:\" followed by 64 lowercase hex digits", digest)
		}
	}
	repo, tag := splitTag(name)
	if tag != "" && !tagPattern.MatchString(tag) {
		return fmt.Errorf("tag %q must be 1-128 characters of [A-Za-z0-9_.-]", tag)
	}
	return validateRepository(repo)
}

// splitTag splits "repo:tag"; a colon followed by a slash belongs to a
// registry port ("host:5000/repo"), not to a tag. An empty tag means latest.
func splitTag(name string) (repo, tag string) {
	i := strings.LastIndex(name, ":")
	if i < 0 || strings.Contains(name[i+1:], "/") {
		return name, ""
	}
	return name[:i], name[i+1:]
}

func validateRepository(name string) error {
	if name == "" {
		return fmt.Errorf("a repository name must be specified")
	}
	repo := name
	// The first path component is a registry only if it looks like a host.
	if host, rest, ok := strings.Cut(name, "/"); ok && strings.ContainsAny(host, ".:") {
		if u, err := url.Parse("//" + host); err != nil || u.Host != host {
			return fmt.Errorf("registry %q is not a valid host[:port]", host)
		}
		repo = rest
	}
	if !repositoryPattern.MatchString(repo) {
		return fmt.Errorf("repository %q must be 2-255 characters of [a-z0-9_./-]", repo)
	}
	return nil
}
