package serverlessservice

import (
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/networking"
)

func TestCells(t *testing.T) {
	k := Kind()
	names := []string{}
	for _, c := range k.Columns {
		names = append(names, c.Name)
	}
	if want := []string{"Mode", "Activators", "ServiceName", "PrivateServiceName", "Ready", "Reason"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("columns = %v, want %v", names, want)
	}

	if got, want := k.Cells(&networking.ServerlessService{}), []any{"", nil, "", "", "", ""}; !reflect.DeepEqual(got, want) {
		t.Errorf("cells of a new ServerlessService = %#v, want %#v", got, want)
	}
	sks := &networking.ServerlessService{
		Spec: networking.ServerlessServiceSpec{Mode: networking.SKSOperationModeProxy, NumActivators: 2},
		Status: networking.ServerlessServiceStatus{
			Status:             duckv1.Status{Conditions: []duckv1.Condition{{Type: duckv1.ConditionReady, Status: corev1.ConditionTrue}}},
			ServiceName:        "hello-00001",
			PrivateServiceName: "hello-00001-private",
		},
	}
	if got, want := k.Cells(sks), []any{"Proxy", int64(2), "hello-00001", "hello-00001-private", "True", ""}; !reflect.DeepEqual(got, want) {
		t.Errorf("cells = %#v, want %#v", got, want)
	}
}
