"""The catalogue of static-analysis findings on a distribution config, in en / ja / zh.

Each finding says what was found and why it matters, in the order semgrep uses for fix text;
placeholders are filled from the config (values redacted) and never translated.
"""

from __future__ import annotations

from cfdoctor.engine.model import Text, Value
from cfdoctor.evidence.model import Finding, Severity
from cfdoctor.evidence.redact import redact

CATALOGUE: dict[str, tuple[Severity, Text]] = {
    "host-forwarded-to-api-gateway": (
        "error",
        Text(
            en="Cache behavior {behavior} forwards the viewer's Host header to the API Gateway "
            "origin {origin}. API Gateway picks the API by Host, so it answers 403 (or, for an "
            "edge-optimized API, routes the request back to CloudFront). Use the managed origin "
            "request policy AllViewerExceptHostHeader.",
            ja="キャッシュビヘイビア {behavior} が、ビューワーの Host ヘッダーを API Gateway "
            "オリジン "
            "{origin} に転送しています。API Gateway は Host で API を特定するため 403 "
            "を返します（エッジ最適化 "
            "API ではリクエストが CloudFront に戻されます）。マネージドオリジンリクエストポリシー "
            "AllViewerExceptHostHeader を使ってください。",
            zh="缓存行为 {behavior} 将查看器的 Host 标头转发到了 API Gateway 源 {origin}。API "
            "Gateway "
            "根据 Host 确定 API，因此会返回 403（如果是边缘优化 API，请求会被路由回 CloudFront）。"
            "请使用"
            "托管源请求策略 AllViewerExceptHostHeader。",
        ),
    ),
    "host-forwarded-to-s3": (
        "error",
        Text(
            en="Cache behavior {behavior} forwards the viewer's Host header to the Amazon S3 "
            "origin {origin}. S3 then looks for a bucket named after your domain and answers 403 "
            "or NoSuchBucket. Use a policy without Host (for example CORS-S3Origin, or none).",
            ja="キャッシュビヘイビア {behavior} が、ビューワーの Host ヘッダーを Amazon S3 "
            "オリジン "
            "{origin} に転送しています。S3 はドメイン名のバケットを探し、403 または NoSuchBucket "
            "を返します。"
            "Host を含まないポリシー（例：CORS-S3Origin、またはなし）を使ってください。",
            zh="缓存行为 {behavior} 将查看器的 Host 标头转发到了 Amazon S3 源 {origin}。S3 "
            "会查找以您的"
            "域名命名的存储桶，并返回 403 或 NoSuchBucket。请使用不包含 Host 的策略（例如 "
            "CORS-S3Origin，"
            "或不使用策略）。",
        ),
    ),
    "policy-not-given": (
        "note",
        Text(
            en="Cache behavior {behavior} uses the {kind} policy {policy_id}, which is neither a "
            "managed policy cfdoctor knows nor given as evidence, so whether Host is forwarded is "
            "unknown. Add the output of `aws cloudfront get-{kind}-policy --id {policy_id}`.",
            ja="キャッシュビヘイビア {behavior} は {kind} ポリシー {policy_id} を使っていますが、"
            "cfdoctor "
            "が知っているマネージドポリシーでもなく、エビデンスとしても渡されていないため、Host "
            "が転送されるか"
            "どうかはわかりません。`aws cloudfront get-{kind}-policy --id {policy_id}` "
            "の出力を追加してください。",
            zh="缓存行为 {behavior} 使用的 {kind} 策略 {policy_id} 既不是 cfdoctor "
            "已知的托管策略，也没有"
            "作为证据提供，因此无法判断是否转发 Host。请添加 `aws cloudfront get-{kind}-policy "
            "--id "
            "{policy_id}` 的输出。",
        ),
    ),
    "https-to-port-80": (
        "error",
        Text(
            en="Origin {origin} uses origin protocol policy {policy} with HTTPSPort 80. Port 80 "
            "almost always speaks plain HTTP, so the TLS handshake fails and viewers get 502.",
            ja="オリジン {origin} はオリジンプロトコルポリシー {policy} で HTTPSPort が 80 です。"
            "ポート 80 "
            "はほぼ常に平文の HTTP なので、TLS ハンドシェイクが失敗し、ビューワーには 502 "
            "が返ります。",
            zh="源 {origin} 的源协议策略为 {policy}，而 HTTPSPort 为 80。80 端口几乎总是明文 HTTP，"
            "因此 TLS 握手会失败，查看器会收到 502。",
        ),
    ),
    "http-to-port-443": (
        "error",
        Text(
            en="Origin {origin} uses origin protocol policy {policy} with HTTPPort 443. Port 443 "
            "almost always expects TLS, so plain HTTP requests fail (400 or 502).",
            ja="オリジン {origin} はオリジンプロトコルポリシー {policy} で HTTPPort が 443 です。"
            "ポート "
            "443 はほぼ常に TLS を待っているため、平文の HTTP リクエストは失敗します（400 または "
            "502）。",
            zh="源 {origin} 的源协议策略为 {policy}，而 HTTPPort 为 443。443 端口几乎总是等待 TLS，"
            "因此明文 HTTP 请求会失败（400 或 502）。",
        ),
    ),
    "s3-website-https": (
        "error",
        Text(
            en="Origin {origin} is an Amazon S3 website endpoint, which has no HTTPS, but its "
            "origin protocol policy is {policy}. Set it to http-only.",
            ja="オリジン {origin} は HTTPS に対応していない Amazon S3 "
            "ウェブサイトエンドポイントですが、"
            "オリジンプロトコルポリシーが {policy} になっています。http-only にしてください。",
            zh="源 {origin} 是不支持 HTTPS 的 Amazon S3 网站终端节点，但其源协议策略为 {policy}。"
            "请改为 http-only。",
        ),
    ),
    "api-gateway-http": (
        "error",
        Text(
            en="Origin {origin} is an API Gateway endpoint, which accepts only HTTPS on port 443, "
            "but its origin protocol policy is {policy}. Set it to https-only.",
            ja="オリジン {origin} は HTTPS（ポート 443）しか受け付けない API Gateway "
            "エンドポイントですが、"
            "オリジンプロトコルポリシーが {policy} になっています。https-only にしてください。",
            zh="源 {origin} 是只接受 HTTPS（443 端口）的 API Gateway 终端节点，但其源协议策略为 "
            "{policy}。请改为 https-only。",
        ),
    ),
    "ssl-protocols-without-tls12": (
        "warning",
        Text(
            en="Origin {origin} allows only {protocols} toward the origin. Most servers today "
            "refuse anything older than TLSv1.2, so the handshake fails. Include TLSv1.2.",
            ja="オリジン {origin} ではオリジンへのプロトコルとして {protocols} "
            "だけが許可されています。現在"
            "のほとんどのサーバーは TLSv1.2 より古いプロトコルを拒否するため、"
            "ハンドシェイクが失敗します。"
            "TLSv1.2 を含めてください。",
            zh="源 {origin} 只允许使用 {protocols} 连接源。如今大多数服务器都会拒绝早于 TLSv1.2 "
            "的协议，因此握手会失败。请加入 TLSv1.2。",
        ),
    ),
    "aws-assigned-name-over-https": (
        "warning",
        Text(
            en="Origin {origin} is reached over HTTPS by a name AWS assigned ({domain}); no "
            "certificate of yours can cover it, so CloudFront's name check fails with 502. Use a "
            "name of your own that the certificate covers.",
            ja="オリジン {origin} には、AWS が割り当てた名前（{domain}）で HTTPS 接続しています。"
            "自分で用意"
            "した証明書ではこの名前をカバーできないため、CloudFront の名前チェックが失敗して 502 "
            "になります。"
            "証明書がカバーする独自の名前を使ってください。",
            zh="源 {origin} 通过 AWS 分配的名称（{domain}）以 HTTPS "
            "访问；您自己的证书无法涵盖该名称，"
            "因此 CloudFront 的名称检查会失败并返回 502。请使用证书所涵盖的自有名称。",
        ),
    ),
    "lambda-edge-not-versioned": (
        "error",
        Text(
            en="Cache behavior {behavior} associates {arn}, which is not a numbered version of a "
            "function in us-east-1. Lambda@Edge needs a published version ($LATEST and aliases "
            "are not allowed).",
            ja="キャッシュビヘイビア {behavior} に関連付けられた {arn} は、us-east-1 "
            "の関数の番号付き"
            "バージョンではありません。Lambda@Edge には発行済みのバージョンが必要です（$LATEST "
            "やエイリアス"
            "は使えません）。",
            zh="缓存行为 {behavior} 关联的 {arn} 不是 us-east-1 中函数的编号版本。Lambda@Edge "
            "需要已发布的版本（不能使用 $LATEST 或别名）。",
        ),
    ),
    "edge-functions": (
        "note",
        Text(
            en="Cache behavior {behavior} runs edge functions ({events}). Their errors surface "
            "as 502/503 pages that name the Lambda function or the CloudFront function.",
            ja="キャッシュビヘイビア {behavior} ではエッジ関数（{events}）が実行されます。"
            "その失敗は、"
            "Lambda 関数または CloudFront 関数に言及した 502/503 ページとして現れます。",
            zh="缓存行为 {behavior} 会运行边缘函数（{events}）。它们出错时，会显示提及 Lambda "
            "函数或 "
            "CloudFront 函数的 502/503 页面。",
        ),
    ),
    "aliases-with-default-certificate": (
        "error",
        Text(
            en="The distribution has alternate domain names ({aliases}) but uses the default "
            "*.cloudfront.net certificate, which does not cover them: HTTPS to those names fails.",
            ja="ディストリビューションには代替ドメイン名（{aliases}）がありますが、"
            "それらをカバーしない"
            "デフォルトの *.cloudfront.net 証明書を使っています。これらの名前への HTTPS "
            "は失敗します。",
            zh="分配设置了备用域名（{aliases}），却使用默认的 *.cloudfront.net 证书，该证书并不涵盖"
            "这些名称：对这些名称的 HTTPS 访问会失败。",
        ),
    ),
    "certificate-not-us-east-1": (
        "error",
        Text(
            en="The viewer certificate {arn} is not in us-east-1; CloudFront only uses ACM "
            "certificates from US East (N. Virginia).",
            ja="ビューワー証明書 {arn} が us-east-1 にありません。CloudFront が使えるのは米国東部"
            "（バージニア北部）の ACM 証明書だけです。",
            zh="查看器证书 {arn} 不在 us-east-1；CloudFront 只能使用美国东部（弗吉尼亚北部）的 "
            "ACM 证书。",
        ),
    ),
    "host-not-an-alias": (
        "error",
        Text(
            en="The viewer's Host {host} is not among the distribution's alternate domain names "
            '({aliases}); CloudFront answers 403 "Bad request." for it.',
            ja="ビューワーの Host {host} はディストリビューションの代替ドメイン名（{aliases}）"
            "に含まれて"
            "いません。CloudFront はこのホストに対して 403「Bad request.」を返します。",
            zh="查看器的 Host {host} 不在分配的备用域名（{aliases}）之中；CloudFront 会对其返回 "
            "403“Bad request.”。",
        ),
    ),
    "geo-restriction": (
        "note",
        Text(
            en="Geographic restriction is on ({type}: {countries}); blocked viewers get 403 "
            '"The Amazon CloudFront distribution is configured to block access from your '
            'country."',
            ja="地理的制限が有効です（{type}: {countries}）。ブロックされたビューワーには "
            "403「The Amazon "
            "CloudFront distribution is configured to block access from your "
            "country.」が返ります。",
            zh="已启用地理限制（{type}: {countries}）；被阻止的查看器会收到 403“The Amazon "
            "CloudFront "
            "distribution is configured to block access from your country.”。",
        ),
    ),
    "web-acl": (
        "note",
        Text(
            en="AWS WAF web ACL {acl} protects the distribution; a blocked request gets 403 "
            "\"Request blocked.\" (or the rule's custom response). Check the web ACL's sampled "
            "requests.",
            ja="AWS WAF ウェブ ACL {acl} がディストリビューションを保護しています。"
            "ブロックされたリクエスト"
            "には 403「Request blocked.」（またはルールのカスタムレスポンス）が返ります。ウェブ "
            "ACL のサンプル"
            "リクエストを確認してください。",
            zh="分配受 AWS WAF Web ACL {acl} 保护；被阻止的请求会收到 403“Request blocked.”"
            "（或规则的自定义响应）。请查看该 Web ACL 的抽样请求。",
        ),
    ),
    "default-root-object-slash": (
        "error",
        Text(
            en="DefaultRootObject {value} starts with /; CloudFront expects an object name such "
            "as index.html and answers 400 InvalidDefaultRootObject.",
            ja="DefaultRootObject {value} が / で始まっています。CloudFront は index.html のような"
            "オブジェクト名を想定しており、400 InvalidDefaultRootObject を返します。",
            zh="DefaultRootObject {value} 以 / 开头；CloudFront 需要 index.html 这样的对象名称，"
            "并会返回 400 InvalidDefaultRootObject。",
        ),
    ),
    "no-default-root-object": (
        "note",
        Text(
            en="No DefaultRootObject while the default cache behavior serves the Amazon S3 "
            "origin {origin}: a request for / asks S3 for the bucket root and gets 403.",
            ja="デフォルトのキャッシュビヘイビアが Amazon S3 オリジン {origin} を使っているのに "
            "DefaultRootObject が設定されていません。/ へのリクエストは S3 "
            "バケットのルートを要求し、403 に"
            "なります。",
            zh="默认缓存行为指向 Amazon S3 源 {origin}，但没有设置 DefaultRootObject：对 / "
            "的请求会向 "
            "S3 请求存储桶根目录，并得到 403。",
        ),
    ),
    "s3-without-oac": (
        "warning",
        Text(
            en="Amazon S3 origin {origin} has neither an origin access control (OAC) nor an "
            "origin access identity: S3 serves only public objects and answers AccessDenied for "
            "the rest.",
            ja="Amazon S3 オリジン {origin} にはオリジンアクセスコントロール（OAC）"
            "もオリジンアクセス"
            "アイデンティティもありません。S3 は公開オブジェクトしか返さず、それ以外には "
            "AccessDenied を返し"
            "ます。",
            zh="Amazon S3 源 {origin} 既没有源访问控制（OAC），也没有源访问身份：S3 "
            "只会返回公开对象，"
            "其他对象一律返回 AccessDenied。",
        ),
    ),
    "oac-and-oai": (
        "error",
        Text(
            en="Origin {origin} sets both an origin access control and an origin access "
            "identity; use one (OAC).",
            ja="オリジン {origin} にオリジンアクセスコントロールとオリジンアクセスアイデンティティ"
            "の両方が"
            "設定されています。どちらか一方（OAC）にしてください。",
            zh="源 {origin} 同时设置了源访问控制和源访问身份；请只使用其中一个（OAC）。",
        ),
    ),
    "oac-on-website-endpoint": (
        "error",
        Text(
            en="Origin {origin} is an Amazon S3 website endpoint with an origin access control; "
            "OAC works only with the bucket's REST endpoint.",
            ja="オリジン {origin} は Amazon S3 ウェブサイトエンドポイントですが、"
            "オリジンアクセスコント"
            "ロールが設定されています。OAC はバケットの REST エンドポイントでしか使えません。",
            zh="源 {origin} 是 Amazon S3 网站终端节点，却设置了源访问控制；OAC 只能用于存储桶的 "
            "REST "
            "终端节点。",
        ),
    ),
    "stacked-distribution": (
        "warning",
        Text(
            en="Origin {origin} is another CloudFront distribution ({domain}); more than two "
            "distributions in a request chain answer 403.",
            ja="オリジン {origin} は別の CloudFront ディストリビューション（{domain}）です。"
            "リクエストの"
            "経路に 3 つ以上のディストリビューションがあると 403 になります。",
            zh="源 {origin} 是另一个 CloudFront 分配（{domain}）；请求链中的分配超过两个时会返回 "
            "403。",
        ),
    ),
    "api-stage-missing": (
        "warning",
        Text(
            en="API Gateway origin {origin} has no OriginPath, so the first segment of each "
            "viewer path is taken as the stage name. Set OriginPath to /STAGE.",
            ja="API Gateway オリジン {origin} に OriginPath がないため、"
            "ビューワーのパスの最初のセグメント"
            "がステージ名として扱われます。OriginPath を /STAGE に設定してください。",
            zh="API Gateway 源 {origin} 没有设置 OriginPath，"
            "因此查看器路径的第一段会被当作阶段名称。"
            "请将 OriginPath 设置为 /STAGE。",
        ),
    ),
    "api-endpoint-type-unknown": (
        "note",
        Text(
            en="Origin {origin} is an API Gateway endpoint; the config does not say whether it "
            "is edge-optimized or Regional. `dig {domain}` answers with a cloudfront.net CNAME "
            "for an edge-optimized API: give that output too.",
            ja="オリジン {origin} は API Gateway エンドポイントですが、"
            "エッジ最適化かリージョンかは設定から"
            "はわかりません。エッジ最適化 API なら `dig {domain}` が cloudfront.net の CNAME "
            "を返します。その"
            "出力も渡してください。",
            zh="源 {origin} 是 API Gateway 终端节点，但配置中看不出它是边缘优化还是区域 API。"
            "如果是边缘"
            "优化 API，`dig {domain}` 会返回 cloudfront.net 的 CNAME：请一并提供该输出。",
        ),
    ),
    "api-forwarded-path": (
        "note",
        Text(
            en="For {path}, CloudFront sends {forwarded} to API Gateway origin {origin} (origin "
            "path followed by the full viewer path); the API needs a resource for it.",
            ja="{path} に対して、CloudFront は API Gateway オリジン {origin} に {forwarded} "
            "を送ります"
            "（オリジンパスの後にビューワーのパス全体が続きます）。API "
            "にはこのパスのリソースが必要です。",
            zh="对于 {path}，CloudFront 会向 API Gateway 源 {origin} 发送 "
            "{forwarded}（源路径后接完整的"
            "查看器路径）；API 中必须有对应的资源。",
        ),
    ),
    "api-route-missing": (
        "error",
        Text(
            en="The API has no route for {route} (stage {stage}), the path CloudFront forwards "
            "for {path}: API Gateway answers 403 Missing Authentication Token. Known routes: "
            "{routes}.",
            ja="CloudFront が {path} に対して転送するパス {route}（ステージ {stage}）"
            "に対応するルートが "
            "API にありません。API Gateway は 403 Missing Authentication Token を返します。"
            "既存のルート："
            "{routes}。",
            zh="API 中没有 {route}（阶段 {stage}）的路由，而这正是 CloudFront 为 {path} "
            "转发的路径："
            "API Gateway 会返回 403 Missing Authentication Token。已有路由：{routes}。",
        ),
    ),
    "custom-error-response": (
        "note",
        Text(
            en="Custom error responses replace the page for {codes}: for those codes viewers see "
            "the configured page, not CloudFront's or the origin's, so its text says nothing "
            "about the cause.",
            ja="{codes} のエラーページはカスタムエラーレスポンスで置き換えられます。"
            "これらのコードでは"
            "ビューワーには CloudFront やオリジンのページではなく設定されたページが表示されるため"
            "、その文面から"
            "原因はわかりません。",
            zh="{codes} 的错误页面被自定义错误响应替换：对于这些状态码，"
            "查看器看到的是所配置的页面，"
            "而不是 CloudFront 或源的页面，因此页面文字无法说明原因。",
        ),
    ),
    "long-read-timeout": (
        "note",
        Text(
            en="Origin {origin} waits up to {seconds} s for a response (OriginReadTimeout); above "
            "60 s this needs a quota increase, and a slow origin still answers 504 at the limit.",
            ja="オリジン {origin} はレスポンスを最大 {seconds} 秒待ちます（OriginReadTimeout）。"
            "60 秒を"
            "超える値にはクォータの引き上げが必要で、遅いオリジンは上限に達すると 504 になります。",
            zh="源 {origin} 最多等待 {seconds} 秒的响应（OriginReadTimeout）；超过 60 "
            "秒需要提高配额，"
            "而且慢速源在达到上限时仍会返回 504。",
        ),
    ),
    "host-forwarded-to-lambda-url": (
        "error",
        Text(
            en="Cache behavior {behavior} forwards the viewer's Host header to the Lambda function "
            "URL origin {origin}. A function URL finds its function by its own host name, so it "
            'finds none and answers 403 {{"Message":null}}; the function never runs. Use the '
            "managed origin request policy AllViewerExceptHostHeader.",
            ja="キャッシュビヘイビア {behavior} が、ビューワーの Host ヘッダーを Lambda 関数 URL "
            "オリジン {origin} に転送しています。関数 URL は自身のホスト名で関数を探すため関数が"
            '見つからず、403 {{"Message":null}} を返します。関数は実行されません。マネージド'
            "オリジンリクエストポリシー AllViewerExceptHostHeader を使ってください。",
            zh="缓存行为 {behavior} 将查看器的 Host 标头转发到了 Lambda 函数 URL 源 {origin}。"
            "函数 URL 按自己的主机名查找函数，因此找不到函数并返回 403 "
            '{{"Message":null}}；函数根本不会运行。请使用托管源请求策略 '
            "AllViewerExceptHostHeader。",
        ),
    ),
    "api-methods-read-only": (
        "warning",
        Text(
            en="Cache behavior {behavior} serves the API origin {origin} but allows only GET and "
            "HEAD (and OPTIONS): CloudFront answers 403 to POST, PUT, PATCH and DELETE before they "
            "reach the API. Allow all methods on this behavior.",
            ja="キャッシュビヘイビア {behavior} は API オリジン {origin} に転送しますが、許可された"
            "メソッドは GET と HEAD（と OPTIONS）だけです。POST、PUT、PATCH、DELETE には API に届く"
            "前に CloudFront が 403 を返します。"
            "このビヘイビアですべてのメソッドを許可してください。",
            zh="缓存行为 {behavior} 指向 API 源 {origin}，却只允许 GET 和 HEAD（以及 OPTIONS）："
            "POST、PUT、PATCH 和 DELETE 请求在到达 API 之前就会被 CloudFront 以 403 拒绝。"
            "请在此行为上允许所有方法。",
        ),
    ),
    "authorization-not-forwarded": (
        "warning",
        Text(
            en="Cache behavior {behavior} sends requests to the API origin {origin} without the "
            "viewer's Authorization header (its cache policy leaves it out and no origin request "
            "policy adds it): an API that checks it answers 401 or 403. Add an origin request "
            "policy such as AllViewerExceptHostHeader.",
            ja="キャッシュビヘイビア {behavior} は、ビューワー"
            "の Authorization ヘッダーを付けずに API "
            "オリジン {origin} へリクエストを送ります（キャッシュポリシーに含まれず、オリジン"
            "リクエストポリシーでも追加されていません）。これを検証する API は 401 または 403 を"
            "返します。AllViewerExceptHostHead"
            "er などのオリジンリクエストポリシーを追加してください。",
            zh="缓存行为 {behavior} 向 API 源 {origin} 发送请求时不带查看器的 Authorization 标头"
            "（缓存策略未包含它，也没有源请求策略添加它）：校验该标头的 API 会返回 401 或 403。"
            "请添加 AllViewerExceptHostHeader 等源请求策略。",
        ),
    ),
    "field-level-encryption": (
        "note",
        Text(
            en="Cache behavior {behavior} uses field-level encryption: a POST whose body does not "
            "match the configuration (content type, fields) is rejected with 400 before it "
            "reaches the origin.",
            ja="キャッシュビヘイビア {behavior} では"
            "フィールドレベル暗号化を使っています。本文が設定"
            "（コンテンツタイプ、フィールド）に合わない POS"
            "T は、オリジンに届く前に 400 で拒否されます。",
            zh="缓存行为 {behavior} 使用了字段级加密：正文与配置（内容类型、字段）不符的 POST 请求"
            "会在到达源之前被以 400 拒绝。",
        ),
    ),
    "origin-group-with-writes": (
        "warning",
        Text(
            en="Cache behavior {behavior} sends writes (POST, PUT, PATCH, DELETE) to the origin "
            "group {group}. CloudFront fails over only GET, HEAD and OPTIONS: when the primary "
            "fails, writes get its error (often 503) instead of the secondary's answer.",
            ja="キャッシュビヘイビア {behavior} は書き込み（POST、PUT、PATCH、DELETE）をオリジン"
            "グループ {group} に送ります。CloudFront がフェイルオーバーするのは GET、HEAD、OPTIONS "
            "だけなので、プライマリが失敗すると書き込みにはそのエラー（多くは 503）が返ります。",
            zh="缓存行为 {behavior} 会把写请求（POST、PUT、PATCH、DELETE）发送到源组 {group}。"
            "CloudFront 只对 GET、HEAD 和 OPTIONS 进行故障转移：主源失败时，写请求得到的是主源的"
            "错误（通常为 503），而不是备用源的应答。",
        ),
    ),
    "oai-with-writes": (
        "warning",
        Text(
            en="Cache behavior {behavior} allows PUT and POST to the Amazon S3 origin {origin}, "
            "which uses a legacy origin access identity: S3 rejects such writes that come without "
            "a payload hash (400). Use an origin access control (OAC).",
            ja="キャッシュビヘイビア {behavior} は、従来のオリジンアクセスアイデンティティを使う "
            "Amazon S3 オリジン {origin} への PUT と POST を許可しています。ペイロードハッシュの"
            "ないこうした書き込みは S3 が拒否します（400）。オリジンアクセスコントロール（OAC）を"
            "使ってください。",
            zh="缓存行为 {behavior} 允许向使用旧版源访问身份的 Amazon S3 源 {origin} 发送 PUT 和 "
            "POST：S3 会拒绝这类不带负载哈希的写请求（400）。请改用源访问控制（OAC）。",
        ),
    ),
    "signed-urls-required": (
        "note",
        Text(
            en="Cache behavior {behavior} restricts viewer access: every request needs a signed "
            "URL or signed cookies, and CloudFront answers 403 to the rest (missing key pair ID, "
            "unknown key, expired or malformed signature).",
            ja="キャッシュビヘイビア {behavior} では"
            "ビューワーのアクセスが制限されています。すべての"
            "リクエストに署名付き URL または署名付き Cookie"
            " が必要で、それ以外には CloudFront が 403 "
            "を返します（キーペア ID がない、未知のキー、期限切れや不正な署名）。",
            zh="缓存行为 {behavior} 限制了查看器访问：每个请求都需要签名 URL 或签名 Cookie，"
            "其余请求都会收到 CloudFront 的 403（缺少密钥对 ID、未知密钥、签名过期或格式错误）。",
        ),
    ),
    "https-only-viewers": (
        "note",
        Text(
            en="Cache behavior {behavior} accepts HTTPS only: a viewer that uses http:// gets 403 "
            "instead of a redirect. redirect-to-https sends them to HTTPS.",
            ja="キャッシュビヘイビア {behavior} は HTTPS しか受け付けません。http:// でアクセスした"
            "ビューワーにはリダイレクトではなく 403 が返ります。redirect-to-https なら HTTPS に"
            "誘導されます。",
            zh="缓存行为 {behavior} 只接受 HTTPS：使用 http:// 的查看器会收到 403，而不是重定向。"
            "redirect-to-https 会把它们引导到 HTTPS。",
        ),
    ),
    "origin-path-repeats-pattern": (
        "warning",
        Text(
            en="Cache behavior {behavior} matches paths under the same directory that origin "
            "{origin} already has as its origin path {origin_path}: CloudFront appends the whole "
            "viewer path to the origin path and asks for {example}, which usually does not exist "
            "(404, or 403 from S3).",
            ja="キャッシュビヘイビア {behavior} のパスパターンは、オリジン {origin} のオリジンパス "
            "{origin_path} と同じディレクトリで始まっています。CloudFront はビューワーのパス全体を"
            "オリジンパスの後ろに付けるため {example} を要求し、たいていは存在しません（404、S3 "
            "なら 403）。",
            zh="缓存行为 {behavior} 的路径模式以源 {origin}"
            " 的源路径 {origin_path} 中相同的目录开头："
            "CloudFront 会把完整的查看器路径追加到源路径之后，请求 {example}，而它通常并不存在"
            "（404，S3 则返回 403）。",
        ),
    ),
    "short-read-timeout": (
        "warning",
        Text(
            en="Origin {origin} has a response timeout (OriginReadTimeout) of only {seconds} s; "
            "any response slower than that ends in 504. The default is 30 s.",
            ja="オリジン {origin} の応答タイムアウト（OriginR"
            "eadTimeout）は {seconds} 秒しかありません。"
            "それより遅い応答はすべて 504 になります。デフォルトは 30 秒です。",
            zh="源 {origin} 的响应超时（OriginReadTimeout）只有 {seconds} 秒；比这更慢的响应都会以 "
            "504 结束。默认值为 30 秒。",
        ),
    ),
    "vpc-origin": (
        "note",
        Text(
            en="Origin {origin} is a VPC origin: CloudFront reaches it through the VPC origin's "
            "network interfaces, so its security group must allow the VPC origin, and a timeout "
            "(504) points at that path rather than at the internet.",
            ja="オリジン {origin} は VPC オリジンです。CloudFront は VPC オリジンのネットワーク"
            "インターフェイス経由で接続するため、そのセキュリティグループで VPC オリジンを許可する"
            "必要があり、タイムアウト（504）はインターネットではなくこの経路の問題を示します。",
            zh="源 {origin} 是 VPC 源：CloudFront"
            " 通过 VPC 源的网络接口访问它，因此其安全组必须允许 "
            "VPC 源，超时（504）指向的是这条路径而不是互联网。",
        ),
    ),
    "certificate-without-aliases": (
        "warning",
        Text(
            en="The distribution has a certificate of its own but no alternate domain names: "
            'requests to your domain name are refused with 403 "Bad request." until the name is '
            "added to Aliases.",
            ja="ディストリビューションには独自の証明書がありますが、代替ドメイン名がありません。"
            "代替ドメイン名（Aliases）に追加するまで、独自ドメ"
            "インへのリクエストは 403「Bad request.」"
            "で拒否されます。",
            zh="分配设置了自己的证书，却没有备用域名：在把域名添加到备用域名（Aliases）之前，"
            "对您域名的请求都会以 403“Bad request.”被拒绝。",
        ),
    ),
    "spa-fallback-missing": (
        "note",
        Text(
            en="The default cache behavior serves Amazon S3 and no custom error response turns 403 "
            "or 404 into /index.html: if this is a single-page app, deep links and reloads fail "
            "with 403 or 404.",
            ja="デフォルトのキャッシュビヘイビアは Amazon S3 に転送しますが、403 や 404 を "
            "/index.html に置き換えるカスタムエラーレスポンスがありません。シングルページアプリ"
            "ケーションなら、ディープリンクや再読み込みが 403 または 404 になります。",
            zh="默认缓存行为指向 Amazon S3，但没有把 403 或"
            " 404 替换为 /index.html 的自定义错误响应："
            "如果这是单页应用，深层链接和刷新页面都会返回 403 或 404。",
        ),
    ),
    "origin-private-address": (
        "warning",
        Text(
            en="Origin {origin} is {domain}, a private address or an internal load balancer. "
            "CloudFront reaches custom origins over the internet, so the connection times out "
            "(504). Use a public name, or a VPC origin for a private one.",
            ja="オリジン {origin} は {domain} で、プライベートアドレスまたは内部ロードバランサー"
            "です。CloudFront はカスタムオリジンにインターネット経由で接続するため、接続は"
            "タイムアウトします（504）。パブリックな名前を使うか、プライベートなものには VPC "
            "オリジンを使ってください。",
            zh="源 {origin} 是 {domain}，属于私有地址或内部负载均衡器。CloudFront 通过互联网"
            "连接自定义源，因此连接会超时（504）。请使用公有名称，私有源请使用 VPC 源。",
        ),
    ),
    "writes-over-http-refused": (
        "note",
        Text(
            en="Cache behavior {behavior} redirects HTTP to HTTPS and allows writes: CloudFront "
            "redirects only GET and HEAD, and answers 403 to a POST, PUT, PATCH, DELETE or "
            "OPTIONS sent to an http:// URL. Clients must call the https:// URL.",
            ja="キャッシュビヘイビア {behavior} は HTTP を HTTPS にリダイレクトし、書き込みも許可"
            "しています。CloudFront がリダイレクトするのは GET と HEAD だけで、http:// の URL に"
            "送られた POST、PUT、PATCH、DELETE、OPTIONS には 403 を返します。クライアントは "
            "https:// の URL を呼び出す必要があります。",
            zh="缓存行为 {behavior} 将 HTTP 重定向到 HTTPS 并允许写入：CloudFront 只重定向 GET "
            "和 HEAD，发送到 http:// URL 的 POST、PUT、PATCH、DELETE 或 OPTIONS 请求会收到 "
            "403。客户端必须调用 https:// URL。",
        ),
    ),
    "behavior-selected": (
        "note",
        Text(
            en="Path {path} is served by cache behavior {behavior}, origin {origin} ({domain}).",
            ja="パス {path} はキャッシュビヘイビア {behavior}、オリジン {origin}（{domain}）"
            "で処理されます。",
            zh="路径 {path} 由缓存行为 {behavior}、源 {origin}（{domain}）处理。",
        ),
    ),
}


def finding(
    fid: str, json_path: str, fact: tuple[str, Value] | None = None, **args: object
) -> Finding:
    """A catalogued finding with its placeholders filled (values redacted)."""
    severity, text = CATALOGUE[fid]
    safe = {k: redact(str(v)) for k, v in args.items()}
    return Finding(
        fid,
        severity,
        Text(en=text.en.format(**safe), ja=text.ja.format(**safe), zh=text.zh.format(**safe)),
        json_path,
        fact,
    )
