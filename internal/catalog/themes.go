package catalog

// Themes are the 服务主题 the public portal browses by: life events of
// natural persons and the stages of an organisation's life. The lists
// follow the 个人服务/法人服务 themes of the national government service
// portal as seen there; they are not a code table of GB/T 39046, which
// names the fields (自然人服务主题, 法人服务主题) without fixing values.
var (
	PersonThemes = []string{"生育收养", "户籍办理", "教育科研", "就业创业", "婚姻登记", "社会保障", "医疗卫生",
		"住房保障", "交通出行", "养老服务", "社会救助", "证件办理", "农业农村", "死亡殡葬"}
	LegalThemes = []string{"设立变更", "准营准办", "资质认证", "年检年审", "税收财务", "人力资源", "投资审批",
		"建设施工", "土地房产", "交通运输", "医药卫生", "安全生产", "环保绿化", "注销清算"}
)

// ValidTheme reports whether t is one of the themes.
func ValidTheme(t string) bool { return contains(PersonThemes, t) || contains(LegalThemes, t) }
