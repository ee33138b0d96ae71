"""A small knowledge base with real Japanese and Chinese text, for exact runbook expectations.

Two symptoms (502 with three causes, 504 with one), checks over bool, enum and int facts,
commands for several platforms with placeholders in every quoting context. The bundled
knowledge base changes while it grows; these tests must not.
"""

from __future__ import annotations

from typing import Any


def t(en: str, ja: str, zh: str) -> dict[str, str]:
    return {"en": en, "ja": ja, "zh": zh}


SOURCE = {
    "url": "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-502-bad-gateway.html",
    "lang": "en",
    "title": "HTTP 502 status code (Bad Gateway)",
}


def _cause(
    title: dict[str, str],
    summary: dict[str, str],
    symptom: str,
    prior: float,
    positive: dict[str, Any],
    negative: dict[str, Any],
    *,
    grade: str = "D",
    commands: list[str] | None = None,
) -> dict[str, Any]:
    status = int(symptom.split("-")[1])
    fix: dict[str, Any] = {
        "title": t("Correct the origin settings", "オリジンの設定を修正する", "更正源设置"),
        "steps": [
            t(
                "Open the distribution in the CloudFront console.",
                "CloudFront コンソールでディストリビューションを開きます。",
                "在 CloudFront 控制台中打开分配。",
            ),
            t(
                "Correct the value and wait for the deployment to finish.",
                "値を修正し、デプロイが完了するまで待ちます。",
                "更正该值，并等待部署完成。",
            ),
        ],
        "success_rate": 0.85,
        "rate_origin": t(
            "Estimate by the cfdoctor authors.",
            "cfdoctor 作成者による推定値です。",
            "cfdoctor 作者的估计值。",
        ),
    }
    if commands:
        fix["commands"] = commands
    return {
        "title": title,
        "summary": summary,
        "status": [status],
        "symptoms": [symptom],
        "grade": grade,
        "prior": prior,
        "fixes": [fix],
        "dead_ends": [
            {
                "title": t(
                    "Invalidating the cache",
                    "キャッシュを無効化する",
                    "使缓存失效",
                ),
                "why": t(
                    "CloudFront does not cache this error for long; the origin keeps failing.",
                    "CloudFront はこのエラーを長くキャッシュしません。オリジンは失敗し続けます。",
                    "CloudFront 不会长时间缓存此错误；源会继续失败。",
                ),
                "fail_rate": 0.95,
                "rate_origin": t(
                    "Estimate by the cfdoctor authors.",
                    "cfdoctor 作成者による推定値です。",
                    "cfdoctor 作者的估计值。",
                ),
            }
        ],
        "sources": [
            SOURCE,
            {"url": "https://repost.aws/ja/knowledge-center/cloudfront-502-errors", "lang": "ja"},
        ],
        "cases": {
            "positive": [{"name": "p", "facts": positive}],
            "negative": [{"name": "n", "facts": negative}],
        },
    }


def mini_units() -> dict[str, dict[str, Any]]:
    """Relative path -> unit data (write with tests.toykb.write_kb)."""
    yes_no = "m.port_open"
    return {
        "facts/mini.yaml": {
            "facts": {
                "m.status": {
                    "type": "int",
                    "label": t(
                        "HTTP status code the viewer receives",
                        "ビューワーが受け取る HTTP ステータスコード",
                        "查看器收到的 HTTP 状态码",
                    ),
                },
                "m.page": {
                    "type": "enum",
                    "label": t(
                        "Explanation on CloudFront's error page",
                        "CloudFront のエラーページにある説明",
                        "CloudFront 错误页面上的说明",
                    ),
                    "values": {
                        "dns": t(
                            "It could not resolve the origin domain name",
                            "オリジンのドメイン名を解決できなかった",
                            "无法解析源域名",
                        ),
                        "connect": t(
                            "It could not connect to the origin",
                            "オリジンに接続できなかった",
                            "无法连接到源",
                        ),
                        "other": t("Another explanation", "その他の説明", "其他说明"),
                    },
                },
                "m.dns": {
                    "type": "enum",
                    "label": t("Result of the DNS lookup", "DNS 検索の結果", "DNS 查询结果"),
                    "values": {
                        "resolves": t("The name resolves", "名前を解決できる", "名称可以解析"),
                        "nxdomain": t(
                            "The name does not exist (NXDOMAIN)",
                            "名前が存在しない（NXDOMAIN）",
                            "名称不存在（NXDOMAIN）",
                        ),
                    },
                },
                yes_no: {
                    "type": "bool",
                    "label": t(
                        "The origin port accepts connections",
                        "オリジンのポートが接続を受け付ける",
                        "源端口接受连接",
                    ),
                },
                "m.firewall_allows": {
                    "type": "bool",
                    "label": t(
                        "The security group allows CloudFront's origin-facing addresses",
                        "セキュリティグループが CloudFront のオリジン向けアドレスを許可している",
                        "安全组允许 CloudFront 面向源的地址",
                    ),
                },
                "m.verify": {
                    "type": "int",
                    "label": t(
                        "Verify return code of openssl",
                        "openssl の Verify return code",
                        "openssl 的 Verify return code",
                    ),
                },
            }
        },
        "checks/c-status.yaml": {
            "fact": "m.status",
            "question": t(
                "What HTTP status code does the request return?",
                "リクエストはどの HTTP ステータスコードを返しますか？",
                "请求返回什么 HTTP 状态码？",
            ),
            "how_to_read": t(
                "The first line of the response carries the code.",
                "レスポンスの 1 行目にコードがあります。",
                "响应的第一行包含状态码。",
            ),
            "commands": [{"run": "curl -sS -o /dev/null -D - https://{DISTRIBUTION_DOMAIN}{PATH}"}],
            "cost": 1,
        },
        "checks/c-page.yaml": {
            "fact": "m.page",
            "question": t(
                "Which explanation does CloudFront's error page give?",
                "CloudFront のエラーページにはどの説明がありますか？",
                "CloudFront 错误页面给出了哪条说明？",
            ),
            "how_to_read": t(
                "Read the sentence below the heading of the error page.",
                "エラーページの見出しの下にある文を読みます。",
                "阅读错误页面标题下方的句子。",
            ),
            "commands": [{"run": "curl -sS https://{DISTRIBUTION_DOMAIN}{PATH}"}],
            "cost": 1,
        },
        "checks/c-dns.yaml": {
            "fact": "m.dns",
            "question": t(
                "Does the origin domain name resolve in public DNS?",
                "オリジンのドメイン名はパブリック DNS で解決できますか？",
                "源域名能否在公共 DNS 中解析？",
            ),
            "how_to_read": t(
                "`status: NOERROR` with an answer means it r"
                "esolves; `NXDOMAIN` means it does not exist.",
                "`status: NOERROR` で応答があれば解決できています"
                "。`NXDOMAIN` は名前が存在しないことを示します。",
                "`status: NOERROR` 且有应答表示可以解析；`NXDOMAIN` 表示名称不存在。",
            ),
            "commands": [
                {"run": "dig {ORIGIN_DOMAIN}", "platform": "linux"},
                {"run": "nslookup {ORIGIN_DOMAIN}", "platform": "windows"},
            ],
            "cost": 2,
        },
        "checks/c-port.yaml": {
            "fact": yes_no,
            "question": t(
                "Does the origin port accept TCP connections from the internet?",
                "オリジンのポートはインターネットからの TCP 接続を受け付けますか？",
                "源端口是否接受来自互联网的 TCP 连接？",
            ),
            "how_to_read": t(
                "`succeeded` or `open` means yes; `refused` or a timeout means no.",
                "`succeeded` または `open` ならはい、`refused` またはタイムアウトならいいえです。",
                "`succeeded` 或 `open` 表示是；`refused` 或超时表示否。",
            ),
            "commands": [
                {"run": "nc -vz -w 10 {ORIGIN_DOMAIN} {PORT}", "platform": "linux"},
                {"run": "Test-NetConnection {ORIGIN_DOMAIN} -Port {PORT}", "platform": "windows"},
            ],
            "cost": 2,
        },
        "checks/c-firewall.yaml": {
            "fact": "m.firewall_allows",
            "question": t(
                "Does the origin's security group allow the CloudFront origin-facing prefix list?",
                "オリジンのセキュリティグループは CloudFront のオリ"
                "ジン向けプレフィックスリストを許可していますか？",
                "源的安全组是否允许 CloudFront 面向源的前缀列表？",
            ),
            "how_to_read": t(
                "Look for the prefix list id in an inbound rule for the origin port.",
                "オリジンのポートに対するインバウンドルールに"
                "プレフィックスリスト ID があるか確認します。",
                "检查源端口的入站规则中是否有该前缀列表 ID。",
            ),
            "commands": [
                {
                    "run": "aws ec2 describe-security-groups --group-ids {SECURITY_GROUP_ID}"
                    " --query 'SecurityGroups[].IpPermissions[]'"
                }
            ],
            "cost": 1,
        },
        "checks/c-verify.yaml": {
            "fact": "m.verify",
            "question": t(
                "Which verify return code does openssl print for the origin?",
                "openssl はオリジンに対してどの Verify return code を表示しますか？",
                "openssl 针对源显示哪个 Verify return code？",
            ),
            "how_to_read": t(
                "`0 (ok)` means the certificate is valid; `62` means the name does not match.",
                "`0 (ok)` は証明書が有効であること、`62` は名前が一致しないことを示します。",
                "`0 (ok)` 表示证书有效；`62` 表示名称不匹配。",
            ),
            "commands": [
                {
                    "run": "openssl s_client -connect {ORIGIN_DOMAIN}:443"
                    " -servername '{SERVER_NAME}' </dev/null 2>&1 | grep 'Verify return code'"
                }
            ],
            "cost": 3,
        },
        "symptoms/s-502.yaml": {
            "title": t(
                "CloudFront returns 502 Bad Gateway",
                "CloudFront が 502 Bad Gateway を返す",
                "CloudFront 返回 502 Bad Gateway",
            ),
            "description": t(
                "CloudFront could not get a valid response from the origin.",
                "CloudFront がオリジンから有効なレスポンスを取得できませんでした。",
                "CloudFront 无法从源获得有效响应。",
            ),
            "when": {"all": [{"fact": "m.status", "eq": 502}]},
        },
        "symptoms/s-504.yaml": {
            "title": t(
                "CloudFront returns 504 Gateway Timeout",
                "CloudFront が 504 Gateway Timeout を返す",
                "CloudFront 返回 504 Gateway Timeout",
            ),
            "description": t(
                "The origin did not answer in time.",
                "オリジンが時間内に応答しませんでした。",
                "源未能及时响应。",
            ),
            "when": {"all": [{"fact": "m.status", "eq": 504}]},
        },
        "causes/502/dns-failure.yaml": _cause(
            t(
                "CloudFront cannot resolve the origin domain name",
                "CloudFront がオリジンのドメイン名を解決できない",
                "CloudFront 无法解析源域名",
            ),
            t(
                "The origin's name does not exist in public"
                " DNS, so CloudFront has nowhere to connect.",
                "オリジンの名前がパブリック DNS に存在しな"
                "いため、CloudFront は接続先がありません。",
                "源的名称在公共 DNS 中不存在，因此 CloudFront 无处可连。",
            ),
            "s-502",
            0.3,
            {"m.status": 502, "m.dns": "nxdomain"},
            {"m.status": 502, "m.dns": "resolves"},
            commands=["dig {ORIGIN_APEX} NS +short", "dig {ORIGIN_DOMAIN} @{NAME_SERVER}"],
        ),
        "causes/502/port-blocked.yaml": _cause(
            t(
                "The origin port does not accept connections",
                "オリジンのポートが接続を受け付けない",
                "源端口不接受连接",
            ),
            t(
                "A firewall or security group drops or refuses CloudFront's connections.",
                "ファイアウォールやセキュリティグループが Clou"
                "dFront からの接続を拒否または破棄しています。",
                "防火墙或安全组拒绝或丢弃了 CloudFront 的连接。",
            ),
            "s-502",
            0.4,
            {"m.status": 502, "m.port_open": False},
            {"m.status": 502, "m.port_open": True},
            grade="C",
        ),
        "causes/502/cert-name.yaml": _cause(
            t(
                "The origin certificate does not cover the origin domain name",
                "オリジンの証明書がオリジンのドメイン名を含まない",
                "源证书未涵盖源域名",
            ),
            t(
                "CloudFront checks that the certificate names the origin domain; it does not.",
                "CloudFront は証明書にオリジンのドメイン名が含"
                "まれることを確認しますが、含まれていません。",
                "CloudFront 会检查证书是否包含源域名，但证书中没有。",
            ),
            "s-502",
            0.3,
            {"m.status": 502, "m.verify": 62},
            {"m.status": 502, "m.verify": 0},
            grade="I",
        ),
        "causes/504/origin-slow.yaml": _cause(
            t(
                "The origin answers too slowly",
                "オリジンの応答が遅すぎる",
                "源响应过慢",
            ),
            t(
                "The origin takes longer than the origin response timeout.",
                "オリジンの処理時間がオリジンの応答タイムアウトを超えています。",
                "源的处理时间超过了源响应超时。",
            ),
            "s-504",
            0.5,
            {"m.status": 504, "m.port_open": True},
            {"m.status": 504, "m.port_open": False},
        ),
        "rules/page-dns.yaml": {
            "because": t(
                "The error page names DNS.",
                "エラーページが DNS を示しています。",
                "错误页面指出了 DNS。",
            ),
            "when": {"all": [{"fact": "m.page", "eq": "dns"}]},
            "then": [
                {"cause": "dns-failure", "effect": "confirms"},
                {"cause": "cert-name", "effect": "rules_out"},
            ],
        },
        "rules/page-connect.yaml": {
            "because": t(
                "The error page says it could not connect.",
                "エラーページに接続できなかったとあります。",
                "错误页面显示无法连接。",
            ),
            "when": {"all": [{"fact": "m.page", "eq": "connect"}]},
            "then": [
                {"cause": "port-blocked", "effect": "moderate"},
                {"cause": "dns-failure", "effect": "rules_out"},
            ],
        },
        "rules/firewall-blocks.yaml": {
            "because": t(
                "The security group does not let CloudFront in.",
                "セキュリティグループが CloudFront からの接続を許可していません。",
                "安全组不允许 CloudFront 连接。",
            ),
            "when": {
                "all": [
                    {"fact": "m.page", "eq": "connect"},
                    {"fact": "m.firewall_allows", "eq": False},
                ]
            },
            "then": [{"cause": "port-blocked", "effect": "strong"}],
        },
        "rules/firewall-allows.yaml": {
            "because": t(
                "The security group lets CloudFront in.",
                "セキュリティグループが CloudFront からの接続を許可しています。",
                "安全组允许 CloudFront 连接。",
            ),
            "when": {
                "all": [
                    {"fact": "m.page", "eq": "connect"},
                    {"fact": "m.firewall_allows", "eq": True},
                ]
            },
            "then": [{"cause": "port-blocked", "effect": "against"}],
        },
        "rules/dns-nxdomain.yaml": {
            "because": t("The name does not exist.", "名前が存在しません。", "名称不存在。"),
            "when": {"all": [{"fact": "m.dns", "eq": "nxdomain"}]},
            "then": [{"cause": "dns-failure", "effect": "strong"}],
        },
        "rules/dns-resolves.yaml": {
            "because": t("The name resolves.", "名前を解決できます。", "名称可以解析。"),
            "when": {"all": [{"fact": "m.dns", "eq": "resolves"}]},
            "then": [{"cause": "dns-failure", "effect": "rules_out"}],
        },
        "rules/port-closed.yaml": {
            "because": t("The port refuses.", "ポートが拒否します。", "端口拒绝连接。"),
            "when": {"all": [{"fact": yes_no, "eq": False}]},
            "then": [
                {"cause": "port-blocked", "effect": "strong"},
                {"cause": "origin-slow", "effect": "rules_out"},
            ],
        },
        "rules/port-open.yaml": {
            "because": t("The port accepts.", "ポートが受け付けます。", "端口接受连接。"),
            "when": {"all": [{"fact": yes_no, "eq": True}]},
            "then": [
                {"cause": "port-blocked", "effect": "rules_out"},
                {"cause": "origin-slow", "effect": "moderate"},
            ],
        },
        "rules/verify-name.yaml": {
            "because": t(
                "Code 62: name mismatch.", "コード 62：名前の不一致。", "代码 62：名称不匹配。"
            ),
            "when": {"all": [{"fact": "m.verify", "eq": 62}]},
            "then": [{"cause": "cert-name", "effect": "strong"}],
        },
        "rules/verify-ok.yaml": {
            "because": t("Code 0: valid.", "コード 0：有効。", "代码 0：有效。"),
            "when": {"all": [{"fact": "m.verify", "eq": 0}]},
            "then": [{"cause": "cert-name", "effect": "rules_out"}],
        },
    }
