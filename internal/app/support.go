package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"openhall/internal/blob"
	"openhall/internal/certs"
	"openhall/internal/jobs"
	"openhall/internal/notify"
)

// kekFile keeps the generated key-encryption key when none is configured.
const kekFile = "cert-kek"

// addSupport puts the blob store, the certificate service and the
// notifier into a.Services.
func (a *App) addSupport(ctx context.Context, o Options, blobs blob.Blobs) error {
	kek, source, err := a.loadKEK()
	if err != nil {
		return err
	}
	s := a.Services
	s.Blobs = blobs
	s.Certs, err = certs.NewService(a.Stores.Certs, s.Org, a.Stores, s.Audit,
		certs.Options{KEK: kek, Now: o.Now, PublicURL: a.Config.PublicURL})
	if err != nil {
		return err
	}
	if o.Node {
		if err := checkKEK(ctx, a.Stores.Settings, s.Certs, source); err != nil {
			return err
		}
	} else if err := s.Certs.CheckKEK(ctx); err != nil {
		// A one-off command issues no certificates and often runs
		// without --cert-kek; it says so and carries on.
		a.Log.Error("certificate signing keys do not open with the configured KEK; issuing certificates will fail", "err", err)
	}
	s.Notify = notify.NewService(a.Stores.Notify, a.Stores.Identity, a.Stores, deliveryQueue{a},
		notify.Options{Mail: a.mailSender(), SMS: a.smsGateway(), Log: a.Log, BaseURL: a.Config.PublicURL, Now: o.Now})
	return nil
}

// loadKEK returns the configured key-encryption key or, without one, the
// one kept in the data directory (created on first start), and says which
// for operators.
func (a *App) loadKEK() (kek []byte, source string, err error) {
	if a.Config.CertKEK != "" {
		kek, err = certs.ParseKEK(a.Config.CertKEK)
		return kek, " --cert-kek（OPENHALL_CERT_KEK）", err
	}
	if err := os.MkdirAll(a.Config.DataDir, 0o750); err != nil {
		return nil, "", fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(a.Config.DataDir, kekFile)
	kek, created, err := certs.LoadOrCreateKEKFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("证照密钥加密密钥：%w", err)
	}
	a.Log.Warn("no --cert-kek configured: certificate signing keys are encrypted with a key kept in the data directory; "+
		"this is for development and demonstrations only, production must configure --cert-kek (OPENHALL_CERT_KEK) "+
		"and all nodes must share it", "file", path, "created", created)
	return kek, "数据目录中的密钥文件 " + path + "（未配置 --cert-kek）", nil
}

// mailSender is the SMTP sender, nil when email is not configured.
func (a *App) mailSender() notify.Sender {
	c := a.Config
	if c.SMTPHost == "" {
		return nil
	}
	return &notify.SMTPSender{Host: c.SMTPHost, Port: c.SMTPPort, User: c.SMTPUser, Password: c.SMTPPassword, From: c.SMTPFrom}
}

// smsGateway is the configured SMS gateway, nil when SMS are not sent.
func (a *App) smsGateway() notify.Gateway {
	if a.Config.SMSGateway == "log" {
		return notify.LogGateway{Log: a.Log}
	}
	return nil
}

// deliveryQueue puts notification deliveries on the job queue, in the
// transaction of the change that caused them.
type deliveryQueue struct{ a *App }

func (q deliveryQueue) Enqueue(ctx context.Context, ds []notify.Delivery) error {
	if q.a.queue == nil {
		return errors.New("job queue not started")
	}
	args := make([]jobs.Args, len(ds))
	for i, d := range ds {
		args[i] = d
	}
	return q.a.queue.EnqueueMany(ctx, args)
}

// registerSupportJobs registers the notification delivery handler.
func (a *App) registerSupportJobs(reg *jobs.Registry) {
	jobs.Register(reg, func(ctx context.Context, d notify.Delivery) error {
		return a.Services.Notify.Deliver(ctx, d)
	})
}
