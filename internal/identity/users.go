package identity

import (
	"context"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/pii"
)

// UserInput is what a form or API call gives to create an account.
type UserInput struct {
	Kind        Kind
	Username    string
	Name        string
	IDNumber    string
	CreditCode  string
	ContactName string
	Phone       string
	Email       string
	Password    string
}

// UserUpdate changes an account; nil fields stay as they are.
type UserUpdate struct {
	Name        *string
	Phone       *string
	Email       *string
	ContactName *string
	Disabled    *bool
	Password    *string // reset by an administrator
}

// GrantInput asks for a role on a scope.
type GrantInput struct {
	UserID       int64
	Role         string
	RegionID     *int64
	DepartmentID *int64
}

var usernamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]{3,31}$`)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// normalize trims and normalises the personal data in the input.
func (in *UserInput) normalize() {
	in.Username = strings.TrimSpace(in.Username)
	in.Name = strings.TrimSpace(in.Name)
	in.IDNumber = pii.NormalizeIDNumber(in.IDNumber)
	in.CreditCode = pii.NormalizeCreditCode(in.CreditCode)
	in.ContactName = strings.TrimSpace(in.ContactName)
	if strings.TrimSpace(in.Phone) != "" {
		in.Phone = pii.NormalizeMobile(in.Phone)
	}
	in.Email = strings.TrimSpace(in.Email)
}

// Validate checks every field and names each bad one.
func (in *UserInput) Validate() error {
	var f apperr.Fields
	f.Check(!in.Kind.Valid(), "kind", "请选择账号类型")
	f.Check(!usernamePattern.MatchString(in.Username), "username", "登录名须为 4–32 位字母、数字或 _ . -，且以字母开头")
	checkName(&f, "name", in.Name, in.Kind == KindLegal)
	switch in.Kind {
	case KindPerson:
		f.Check(in.IDNumber == "", "id_number", "自然人须填写居民身份证号码")
	case KindLegal:
		f.Check(in.CreditCode == "", "credit_code", "法人须填写统一社会信用代码")
		f.Check(in.ContactName == "", "contact_name", "法人须填写联系人姓名")
		f.Check(in.Phone == "", "phone", "法人须填写联系人手机号码")
	}
	if in.IDNumber != "" {
		f.AddErr("id_number", pii.CheckIDNumber(in.IDNumber))
	}
	if in.CreditCode != "" {
		f.AddErr("credit_code", pii.CheckCreditCode(in.CreditCode))
	}
	checkContact(&f, in.Phone, in.Email)
	f.AddErr("password", CheckPasswordPolicy("password", in.Password))
	return f.Err()
}

func checkName(f *apperr.Fields, field, name string, org bool) {
	n := utf8.RuneCountInString(name)
	switch {
	case n == 0 && org:
		f.Add(field, "请填写单位名称")
	case n == 0:
		f.Add(field, "请填写姓名")
	case n > 100:
		f.Add(field, "名称不能超过 100 个字")
	}
}

func checkContact(f *apperr.Fields, phone, email string) {
	if phone != "" {
		f.AddErr("phone", pii.CheckMobile(phone))
	}
	if email != "" {
		if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
			f.Add("email", "电子邮箱格式不正确")
		}
	}
}

// RegisteredMessage is the one answer to a registration that passed its
// checks, whether it created an account or found the ID number (or credit
// code) already registered: a stranger must not learn from it whether a
// number has an account.
const RegisteredMessage = "注册申请已受理。如该证件号码此前未注册，现在即可用所填登录名登录；" +
	"如此前已注册过，请用原账号登录，忘记密码请到政务服务中心窗口或联系管理员重置。"

// Register creates a public account (a person or a company) for its owner,
// who registers from address addr. Registrations are limited per address
// (RegistrationsPerAddress in RegistrationWindow). An ID number or credit
// code that already has an account is answered like a new one (see
// RegisteredMessage), and nothing is created.
func (s *Service) Register(ctx context.Context, in UserInput, addr string) error {
	if in.Kind == KindStaff {
		return apperr.Field("kind", "工作人员账号只能由管理员创建")
	}
	in.normalize()
	if err := in.Validate(); err != nil {
		return err
	}
	if err := s.countRegistration(ctx, addr); err != nil {
		return err
	}
	_, err := s.insertUser(ctx, nil, in)
	if identityTaken(err) {
		return nil
	}
	return err
}

// identityTaken reports whether err is the refusal of an ID number or
// credit code that already has an account.
func identityTaken(err error) bool {
	f := apperr.FieldsOf(err)
	return apperr.Is(err, apperr.Invalid) && len(f) == 1 && (f["id_number"] != "" || f["credit_code"] != "")
}

// countRegistration counts a registration from addr and refuses one past
// the address's limit.
func (s *Service) countRegistration(ctx context.Context, addr string) error {
	now, key := s.now().UTC(), "register:"+addr
	var locked time.Time
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		t, err := s.store.FindThrottle(ctx, key)
		if apperr.Is(err, apperr.NotFound) || err == nil && now.Sub(t.WindowStart) > s.policy.RegistrationWindow {
			t, err = &Throttle{Key: key, WindowStart: now}, nil
		}
		if err != nil {
			return err
		}
		if locked = t.LockedUntil; now.Before(locked) {
			return nil
		}
		t.Failures++
		if t.Failures >= s.policy.RegistrationsPerAddress {
			t.LockedUntil = t.WindowStart.Add(s.policy.RegistrationWindow)
		}
		return s.store.PutThrottle(ctx, t)
	})
	if err == nil && now.Before(locked) {
		return apperr.New(apperr.TooMany, "从您所在网络地址注册的账号过多，请于 %s 后再试", locked.In(chinaTime).Format("15:04")).After(locked.Sub(now))
	}
	return err
}

// CreateUser creates an account on behalf of an administrator.
func (s *Service) CreateUser(ctx context.Context, a *Actor, in UserInput) (*User, error) {
	if err := CanViewUsers(a); err != nil {
		return nil, err
	}
	if in.Kind != KindStaff && !a.IsGlobalAdmin() {
		return nil, apperr.New(apperr.Forbidden, "公众账号只能由本人注册或由全局系统管理员创建")
	}
	return s.createUser(ctx, a, in)
}

func (s *Service) createUser(ctx context.Context, a *Actor, in UserInput) (*User, error) {
	in.normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return s.insertUser(ctx, a, in)
}

// insertUser hashes the password and creates the checked account; a nil
// actor is the account's owner registering.
func (s *Service) insertUser(ctx context.Context, a *Actor, in UserInput) (*User, error) {
	hash, err := HashPassword(in.Password, s.policy.Argon2)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	var saved *User
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		saved = nil
		u := &User{Kind: in.Kind, Username: in.Username, Name: in.Name, IDNumber: in.IDNumber,
			CreditCode: in.CreditCode, ContactName: in.ContactName, Phone: in.Phone, Email: in.Email,
			PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
		if err := s.store.CreateUser(ctx, u); err != nil {
			return err
		}
		saved = u
		if a == nil {
			self := &Actor{UserID: u.ID, Kind: u.Kind, Username: u.Username, Name: u.Name}
			return s.record(ctx, self, deploymentScope, "identity.user.register", u.ID, userChange(u))
		}
		return s.record(ctx, a, adminScope(a), "identity.user.create", u.ID, userChange(u))
	})
	return saved, err
}

// userChange is the audit view of an account: personal data masked.
func userChange(u *User) map[string]any {
	return map[string]any{"kind": u.Kind, "username": u.Username, "name": u.MaskedName(),
		"id_number": pii.MaskIDNumber(u.IDNumber), "credit_code": u.CreditCode,
		"phone": pii.MaskMobile(u.Phone), "disabled": u.Disabled}
}

// UpdateUser changes an account on behalf of an administrator.
func (s *Service) UpdateUser(ctx context.Context, a *Actor, id int64, up UserUpdate) (*User, error) {
	newHash, err := s.hashIfSet("password", up.Password)
	if err != nil {
		return nil, err
	}
	var u *User
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if u, err = s.store.FindUserByID(ctx, id); err != nil {
			return err
		}
		grants, err := s.store.FindGrantsByUser(ctx, id)
		if err != nil {
			return err
		}
		if err := CanManageUser(a, u, grants); err != nil {
			return err
		}
		if up.Disabled != nil && *up.Disabled && a.UserID == id {
			return apperr.Field("disabled", "不能停用自己的账号")
		}
		return s.applyUpdate(ctx, a, u, up, newHash, accountScope(grants, adminScope(a)))
	})
	return u, err
}

// hashIfSet checks and hashes a new password before any transaction starts:
// argon2 is deliberately slow and must not hold the database's writer.
func (s *Service) hashIfSet(field string, password *string) (string, error) {
	if password == nil {
		return "", nil
	}
	if err := CheckPasswordPolicy(field, *password); err != nil {
		return "", err
	}
	return HashPassword(*password, s.policy.Argon2)
}

func (s *Service) applyUpdate(ctx context.Context, a *Actor, u *User, up UserUpdate, newHash, scope string) error {
	var f apperr.Fields
	setTrimmed(&u.Name, up.Name)
	setTrimmed(&u.ContactName, up.ContactName)
	setTrimmed(&u.Email, up.Email)
	if up.Phone != nil {
		u.Phone = pii.NormalizeMobile(*up.Phone)
	}
	if up.Disabled != nil {
		u.Disabled = *up.Disabled
	}
	if newHash != "" {
		u.PasswordHash = newHash
	}
	checkName(&f, "name", u.Name, u.Kind == KindLegal)
	checkContact(&f, u.Phone, u.Email)
	if err := f.Err(); err != nil {
		return err
	}
	u.UpdatedAt = s.now().UTC()
	if err := s.store.UpdateUser(ctx, u); err != nil {
		return err
	}
	if u.Disabled || newHash != "" {
		if err := s.store.DeleteUserSessions(ctx, u.ID); err != nil {
			return err
		}
	}
	change := userChange(u)
	change["password_reset"] = newHash != ""
	return s.record(ctx, a, scope, "identity.user.update", u.ID, change)
}

func setTrimmed(dst *string, v *string) {
	if v != nil {
		*dst = strings.TrimSpace(*v)
	}
}

// ChangePassword lets an account's owner change their password from the
// session whose token is given. The account's other sessions end: whoever
// else held one (a shared computer, a stolen cookie) must log in with the
// new password.
func (s *Service) ChangePassword(ctx context.Context, a *Actor, session, current, next string) error {
	if a == nil || a.UserID == 0 {
		return apperr.New(apperr.Unauthenticated, "请先登录")
	}
	now, key := s.now().UTC(), "pwchange:"+strconv.FormatInt(a.UserID, 10)
	if err := s.checkPasswordLock(ctx, now, key); err != nil {
		return err
	}
	u, err := s.store.FindUserByID(ctx, a.UserID)
	if err != nil {
		return err
	}
	if !CheckPassword(u.PasswordHash, current) {
		return s.failPasswordCheck(ctx, now, key)
	}
	newHash, err := s.hashIfSet("new_password", &next)
	if err != nil {
		return err
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		fresh, err := s.store.FindUserByID(ctx, a.UserID)
		if err != nil {
			return err
		}
		if fresh.PasswordHash != u.PasswordHash {
			return apperr.New(apperr.Conflict, "密码刚被修改过，请重新输入当前密码")
		}
		fresh.PasswordHash, fresh.UpdatedAt = newHash, s.now().UTC()
		if err := s.store.UpdateUser(ctx, fresh); err != nil {
			return err
		}
		if err := s.endOtherSessions(ctx, fresh.ID, session); err != nil {
			return err
		}
		if err := s.store.DeleteThrottle(ctx, key); err != nil {
			return err
		}
		return s.record(ctx, a, accountScope(a.Grants, deploymentScope), "identity.user.password", fresh.ID, map[string]any{"changed": true})
	})
}

// checkPasswordLock refuses a password change while the account's wrong
// current passwords have locked it: whoever holds a session (a device left
// logged in) must not guess the password without limit.
func (s *Service) checkPasswordLock(ctx context.Context, now time.Time, key string) error {
	t, err := s.store.FindThrottle(ctx, key)
	if apperr.Is(err, apperr.NotFound) || err == nil && !now.Before(t.LockedUntil) {
		return nil
	}
	if err != nil {
		return err
	}
	return passwordLocked(now, t.LockedUntil)
}

func passwordLocked(now, until time.Time) error {
	return apperr.New(apperr.TooMany, "当前密码输错次数过多，已暂停修改密码，请于 %s 后再试；如忘记密码请联系管理员重置",
		until.In(chinaTime).Format("01-02 15:04")).After(until.Sub(now))
}

// failPasswordCheck counts a wrong current password like a failed login
// of the account from one address (AccountFailures, then LockFor).
func (s *Service) failPasswordCheck(ctx context.Context, now time.Time, key string) error {
	var t *Throttle
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		t, err = s.countFailure(ctx, now, key, s.lockAt(s.policy.AccountFailures))
		return err
	})
	if err != nil {
		return err
	}
	if now.Before(t.LockedUntil) {
		return passwordLocked(now, t.LockedUntil)
	}
	return apperr.Field("current_password", "当前密码不正确（再错 "+strconv.Itoa(s.policy.AccountFailures-t.Failures)+
		" 次将暂停修改密码 "+strconv.Itoa(int(s.policy.LockFor.Minutes()))+" 分钟）")
}

// endOtherSessions ends every session of the user but the one of token.
func (s *Service) endOtherSessions(ctx context.Context, userID int64, token string) error {
	keep, err := s.store.FindSession(ctx, tokenID(token))
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return err
	}
	if err := s.store.DeleteUserSessions(ctx, userID); err != nil {
		return err
	}
	if keep == nil || keep.UserID != userID {
		return nil
	}
	return s.store.CreateSession(ctx, keep)
}
