// sif-verify: the reference library (github.com/sylabs/sif/v2 pkg/integrity, as Debian packages it) verifying a SIF
// image's OpenPGP signatures, for jsing's tests: a cross-check that jsing's signatures are what the reference reads.
//
//	sif-verify [-legacy] [-group N] [-object N] KEYRING IMAGE
//
// KEYRING is an OpenPGP public keyring (binary or ASCII-armoured). Prints one line per verified signature
// ("signature ID by FINGERPRINT: objects 1,2") and exits 0, or prints the error and exits 1.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/sylabs/sif/v2/pkg/integrity"
	"github.com/sylabs/sif/v2/pkg/sif"
)

func readKeyring(path string) (openpgp.EntityList, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if el, err := openpgp.ReadKeyRing(bytes.NewReader(data)); err == nil {
		return el, nil
	}
	return openpgp.ReadArmoredKeyRing(bytes.NewReader(data))
}

func run() error {
	legacy := flag.Bool("legacy", false, "verify legacy signatures")
	group := flag.Uint("group", 0, "verify this object group only")
	object := flag.Uint("object", 0, "verify this object only")
	flag.Parse()
	if flag.NArg() != 2 {
		return fmt.Errorf("usage: sif-verify [-legacy] [-group N] [-object N] KEYRING IMAGE")
	}
	kr, err := readKeyring(flag.Arg(0))
	if err != nil {
		return fmt.Errorf("keyring: %w", err)
	}
	f, err := sif.LoadContainerFromPath(flag.Arg(1), sif.OptLoadWithFlag(os.O_RDONLY))
	if err != nil {
		return err
	}
	defer f.UnloadContainer()

	opts := []integrity.VerifierOpt{integrity.OptVerifyWithKeyRing(kr)}
	if *legacy {
		opts = append(opts, integrity.OptVerifyLegacy())
	}
	if *group != 0 {
		opts = append(opts, integrity.OptVerifyGroup(uint32(*group)))
	}
	if *object != 0 {
		opts = append(opts, integrity.OptVerifyObject(uint32(*object)))
	}
	opts = append(opts, integrity.OptVerifyCallback(func(r integrity.VerifyResult) bool {
		if r.Error() != nil {
			return false
		}
		ids := []string{}
		for _, od := range r.Verified() {
			ids = append(ids, fmt.Sprint(od.ID()))
		}
		fp := ""
		if e := r.Entity(); e != nil {
			fp = fmt.Sprintf("%X", e.PrimaryKey.Fingerprint)
		}
		fmt.Printf("signature %d by %s: objects %s\n", r.Signature().ID(), fp, strings.Join(ids, ","))
		return false
	}))
	v, err := integrity.NewVerifier(f, opts...)
	if err != nil {
		return err
	}
	return v.Verify()
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "sif-verify:", err)
		os.Exit(1)
	}
}
